using Xunit;

namespace Vteam.Build.Tests.Containers;

/// <summary>
/// Compares text with a golden file beside the tests, byte for byte; UPDATE_GOLDEN=1 rewrites the file instead.
/// Unlike Support/GoldenFile it keeps CRLF and a byte order mark: the pin cases are about exactly those bytes.
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static void Check(string path, string actual)
    {
        if (Updating)
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with UPDATE_GOLDEN=1 and review the file.");
        var expected = new System.Text.UTF8Encoding(false).GetString(File.ReadAllBytes(path));
        if (expected != actual)
            Assert.Fail($"{path} differs from the actual output (UPDATE_GOLDEN=1 rewrites it; review the diff).\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}
