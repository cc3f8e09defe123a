using Vteam.Build.Engine;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Syft;

namespace Vteam.Build.Components;

/// <summary>An SPDX 2.3 SBOM of every image with syft, validated, tied to the image digest, recorded in images.json.</summary>
public interface IGenerateSboms : IHazManifest, IHazTools
{
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
            var syft = await Tools.LocateAsync("syft", SyftPath, Offline == true, cancellation);
            var outcomes = await new SbomStage(ToolRunner, syft).GenerateAsync(images, new SbomOptions(SyftSettings, SbomDirectory, SbomParallelism ?? 2), cancellation);
            Manifest.Update(m =>
            {
                foreach (var outcome in outcomes.Where(o => !o.Skipped))
                    m.GetOrAdd(outcome.Component).Sbom = outcome.Record;
            });
            Log.Table("SBOMs", ["Image", "Packages", "SHA-256", "Result"],
                outcomes.Select(o => (IReadOnlyList<string>)[o.Component, $"{o.Record?.Packages}", o.Record?.Sha256[..12] ?? "",
                    o.Skipped ? "skipped" : o.Passed ? "valid" : "FAILED"]));
            var failed = outcomes.Where(o => !o.Passed).ToList();
            if (failed.Count > 0)
                throw new InvalidOperationException(Masker.Mask(
                    $"GenerateSboms: {failed.Count} of {outcomes.Count} image(s) have no valid SBOM:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, failed.Select(o => "  - " + o.Failure))));
        });
}
