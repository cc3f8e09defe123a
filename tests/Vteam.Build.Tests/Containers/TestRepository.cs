using Vteam.Build.Tests.Support;

namespace Vteam.Build.Tests.Containers;

/// <summary>Where the Containers tests keep their cases in the repository (not the output folder, so UPDATE_GOLDEN writes them).</summary>
internal static class TestRepository
{
    public static string ContainersTests => Path.Combine(RepositoryPaths.Root, "tests", "Vteam.Build.Tests", "Containers");
}
