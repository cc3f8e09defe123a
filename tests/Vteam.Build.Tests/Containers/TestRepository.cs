namespace Vteam.Build.Tests.Containers;

/// <summary>Finds the repository root (the folder holding global.json) from the test's output folder.</summary>
internal static class TestRepository
{
    public static string Root { get; } = FindRoot();

    public static string ContainersTests => Path.Combine(Root, "tests", "Vteam.Build.Tests", "Containers");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "global.json")))
                return directory.FullName;
        throw new InvalidOperationException(
            $"No folder holding global.json above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }
}
