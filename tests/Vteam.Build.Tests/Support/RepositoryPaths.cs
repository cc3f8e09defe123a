namespace Vteam.Build.Tests.Support;

/// <summary>The repository root (the folder holding global.json) and the shared/ folder beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(shared))
                throw new DirectoryNotFoundException($"shared/ was expected beside the repository at {shared} (schemas and tool samples live there).");
            return shared;
        }
    }

    public static string Schema(string file) => Path.Combine(Shared, "schemas", file);
    public static string Sample(string tool, string file) => Path.Combine(Shared, "samples", tool, file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "global.json")))
                return directory.FullName;
        throw new DirectoryNotFoundException($"No global.json above {AppContext.BaseDirectory}: tests must run inside the repository.");
    }
}
