using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Support;

namespace Vteam.Build.Tests.Signing;

/// <summary>A build with only the SBOM and signing capabilities, run through the real engine by the tests.</summary>
public class SigningBuild : NukeBuild, ISignImages
{
    [Parameter("Where the run's artifacts (images.json, sbom/, provenance/) are (tests put them outside the temporary root).")]
    public string? ArtifactsDir;

    AbsolutePath IHazArtifacts.ArtifactsDirectory => ArtifactsDir is { Length: > 0 } directory ? new AbsolutePath(directory) : RootDirectory / "artifacts";

    AbsolutePath IHazTools.ToolsFile => new AbsolutePath(RepositoryPaths.Root) / "build" / "tools.json";
}
