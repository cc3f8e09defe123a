using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>The name prefix of the images this build produces, e.g. quay.io/ambient_code/vteam_.</summary>
public interface IHazImagePrefix : INukeBuild
{
    [Parameter("Name prefix of the images this build produces, e.g. quay.io/ambient_code/vteam_.")]
    string? ImagePrefix => TryGetValue(() => ImagePrefix);
}
