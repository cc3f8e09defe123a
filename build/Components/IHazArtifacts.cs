using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>Where a run writes what it produces.</summary>
public interface IHazArtifacts : INukeBuild
{
    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
}
