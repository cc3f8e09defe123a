using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>The record of a run (artifacts/images.json) that every stage reads and adds to.</summary>
public interface IHazManifest : IHazArtifacts
{
    AbsolutePath ManifestFile => ArtifactsDirectory / "images.json";
    ManifestStore Manifest => ManifestStore.For(ManifestFile);
}
