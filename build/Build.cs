using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Reporting;

namespace Vteam.Build;

/// <summary>
/// The composition: which capabilities this repository's build has, and how Secure chains them. Targets
/// live in the capability interfaces under Components/ and in the Build.*.cs partial files.
/// </summary>
internal partial class Build : NukeBuild,
    IPinBaseImages, IBuildImages, IScanVulnerabilities, IGenerateSboms, ISignImages, IScanSecrets,
    ICheckManifests, IReport, IPublishRelease, IGenerateWorkflow
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Secure);

    AbsolutePath ArtifactsDirectory => ((IHazArtifacts)this).ArtifactsDirectory;

    /// <summary>
    /// VerifyPins → BuildImages → per image, the moment it is pushed, its scan and SBOM in parallel →
    /// sign, attest, verify (when signing is configured); the secret scan runs alongside the images,
    /// the manifest check after them; then the report, then the release with --publish.
    /// </summary>
    Target Secure => _ => _
        .Description("The whole supply-chain job: pins, images, scans, SBOMs, signatures, secrets, manifests, report (and release with --publish).")
        .DependsOn<IPinBaseImages>(x => x.VerifyPins)
        .DependsOn<IBuildImages>(x => x.BuildImages)
        .DependsOn<IScanVulnerabilities>(x => x.ScanVulnerabilities)
        .DependsOn<IGenerateSboms>(x => x.GenerateSboms)
        .DependsOn<ISignImages>(x => x.VerifyImages)
        .DependsOn<IScanSecrets>(x => x.ScanSecrets)
        .DependsOn<ICheckManifests>(x => x.CheckManifests)
        .DependsOn<IReport>(x => x.Report)
        .DependsOn<IPublishRelease>(x => x.PublishRelease)
        .Executes(() => Log.Information("Every gate passed: see artifacts/security-report.html."));

    /// <summary>The report measures against the same thresholds the vulnerability gate uses.</summary>
    ReportPolicy IReport.ReportPolicy => new(
        MaxCriticalPerImage: ((IScanVulnerabilities)this).MaxCritical is >= 0 and var critical ? critical : 0,
        MaxHighPerImage: ((IScanVulnerabilities)this).MaxHigh is >= 0 and var high ? high : 4);

    void IBuildImages.OnImagesStarting()
    {
        if (WillRun(nameof(IScanSecrets.ScanSecrets)))
            ImagePipeline.For(this).Start("secrets", "repository", () => ((IScanSecrets)this).ScanRepositoryAsync(Cancellation));
    }

    void IBuildImages.OnImageBuilt(ImageRecord image)
    {
        var pipeline = ImagePipeline.For(this);
        // Scanners name an image by digest (or its exported tarball): nothing to start before either exists.
        if (image.DigestReference is null && image.ExportPath is null) return;
        if (WillRun(nameof(IScanVulnerabilities.ScanVulnerabilities)))
            ((IScanVulnerabilities)this).StartImageScan(image, Cancellation);
        if (WillRun(nameof(IGenerateSboms.GenerateSboms)))
            pipeline.Start("sbom", image.Component, () => ((IGenerateSboms)this).GenerateSbomAsync(image, Cancellation));
    }
}
