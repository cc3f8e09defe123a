using Vteam.Build.Components;
using Vteam.Build.Engine;

namespace Vteam.Build;

/// <summary>
/// The composition: which capabilities this repository's build has. Targets live in the capability
/// interfaces under Components/ and in the Build.*.cs partial files.
/// </summary>
internal partial class Build : NukeBuild, IHazManifest, IReport, ICheckManifests, IBuildImages, IScanVulnerabilities, IScanSecrets, IPublishRelease, IGenerateWorkflow, IPinBaseImages, ISignImages
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Secure);

    AbsolutePath ArtifactsDirectory => ((IHazArtifacts)this).ArtifactsDirectory;

    Target Secure => _ => _
        .DependsOn<ICheckManifests>(x => x.CheckManifests)
        .Description("The whole supply-chain job: every capability target, then the report.")
        .DependsOn<IScanVulnerabilities>(x => x.ScanVulnerabilities)
        .DependsOn<IScanSecrets>(x => x.ScanSecrets)
        .DependsOn<ISignImages>(x => x.VerifyImages)
        .DependsOn<IPublishRelease>(x => x.PublishRelease)
        .Executes(() => Log.Information("Nothing to do yet."));
}
