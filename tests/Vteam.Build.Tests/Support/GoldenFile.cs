using Xunit;

namespace Vteam.Build.Tests.Support;

/// <summary>
/// Compares output with a file kept beside the tests (tests/Vteam.Build.Tests/Golden/…).
/// With UPDATE_GOLDEN=1 the file is rewritten instead, and the diff is reviewed in git.
/// </summary>
public static class GoldenFile
{
    public static void Verify(string relativePath, string actual)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Vteam.Build.Tests", "Golden", relativePath);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"Golden file {path} is missing: run the test with UPDATE_GOLDEN=1 and review the new file.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }
}
