using System.Runtime.CompilerServices;
using Vteam.Build.Engine;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Syft;

namespace Vteam.Build.Components;

/// <summary>An SPDX 2.3 SBOM of every image with syft, validated, tied to the image digest, recorded in images.json.</summary>
public interface IGenerateSboms : IHazManifest, IHazTools
{
    private static readonly ConditionalWeakTable<IGenerateSboms, Lazy<Task<SbomStage>>> Generators = new();

    [Parameter("Path of the syft binary (else PATH, the tool cache, or a download of the pinned release).")]
    string? SyftPath => TryGetValue(() => SyftPath);

    [Parameter("Minutes one syft run may take before it is killed (default 10).")]
    int? SbomTimeout => TryGetValue(() => SbomTimeout);

    [Parameter("How many SBOMs are generated at once (default 2).")]
    int? SbomParallelism => TryGetValue(() => SbomParallelism);

    AbsolutePath SbomDirectory => ArtifactsDirectory / "sbom";

    /// <summary>Settings hook: how syft runs (registry credentials, plain HTTP).</summary>
    SyftSettings SyftSettings => new() { Timeout = TimeSpan.FromMinutes(SbomTimeout ?? 10) };

    Target GenerateSboms => _ => _
        .Description("An SPDX 2.3 SBOM of every image of images.json with syft (by digest, or its exported tarball), validated and tied to the digest.")
        .Executes(async cancellation =>
        {
            var images = Manifest.Read().Images;
            if (images.Count == 0)
            {
                Log.Warning($"{ManifestFile}: no images to describe. Run BuildImages first.");
                return;
            }
            var outcomes = await Task.WhenAll(images.Select(image => GenerateSbomAsync(image, cancellation)));
            Log.Table("SBOMs", ["Image", "Packages", "SHA-256", "Result"],
                outcomes.Select(o => (IReadOnlyList<string>)[o.Component, $"{o.Record?.Packages}", o.Record?.Sha256[..12] ?? "",
                    o.Skipped ? "skipped" : o.Passed ? "valid" : "FAILED"]));
            var failed = outcomes.Where(o => !o.Passed).ToList();
            if (failed.Count > 0)
                throw new InvalidOperationException(Masker.Mask(
                    $"GenerateSboms: {failed.Count} of {outcomes.Length} image(s) have no valid SBOM:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, failed.Select(o => "  - " + o.Failure))));
        });

    /// <summary>
    /// One image's SBOM, recorded in images.json, once per run: BuildImages may start it the moment the image is
    /// pushed (ImagePipeline stage "sbom", e.g. <c>_ = GenerateSbomAsync(image, Cancellation)</c> in OnImageBuilt);
    /// the target then joins it.
    /// </summary>
    Task<SbomOutcome> GenerateSbomAsync(ImageRecord image, CancellationToken cancellation)
        => ImagePipeline.For(this).RunAsync("sbom", image.Component, async () =>
        {
            var stage = await SbomGenerator(cancellation);
            var outcome = await stage.GenerateAsync(image, cancellation);
            if (!outcome.Skipped) Manifest.Update(m => m.GetOrAdd(outcome.Component).Sbom = outcome.Record);
            return outcome;
        });

    /// <summary>The run's SBOM stage: syft located (and its version checked) once, SBOMs bounded by --sbom-parallelism.</summary>
    Task<SbomStage> SbomGenerator(CancellationToken cancellation)
        => Generators.GetValue(this, build => new Lazy<Task<SbomStage>>(async () =>
            new SbomStage(build.ToolRunner,
                await build.Tools.LocateAsync("syft", build.SyftPath, build.Offline == true, cancellation),
                new SbomOptions(build.SyftSettings, build.SbomDirectory, build.SbomParallelism ?? 2)))).Value;
}
