using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>The version this run builds and releases (image tags, release tag).</summary>
public interface IHazVersion : INukeBuild
{
    [Parameter("The version being built and released, e.g. 1.4.0.")]
    string? Version => TryGetValue(() => Version);
}
