using Xunit;

namespace Vteam.Build.Tests.Release;

/// <summary>
/// Golden files under tests/Vteam.Build.Tests/Golden/Release/. With UPDATE_GOLDEN=1 the actual text is
/// written instead of compared. (Local to this area until the lead's shared helper is on main.)
/// </summary>
internal static class Golden
{
    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "Vteam.Build.Tests", "Golden", "Release", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"{path}: no golden file. Run the test with UPDATE_GOLDEN=1 to create it, and review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "global.json")))
                return directory.FullName;
        throw new InvalidOperationException($"No global.json above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
