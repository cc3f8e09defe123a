using System.Security.Cryptography;
using Vteam.Build.Components;
using Vteam.Build.Engine;

namespace Vteam.Build.Tools.Syft;

public sealed record SbomOptions(SyftSettings Settings, AbsolutePath Directory, int Parallelism);

/// <summary>What generating one image's SBOM gave: the record for images.json, or why there is none.</summary>
public sealed record SbomOutcome(string Component, string? Source, SbomRecord? Record, string? Failure, bool Skipped = false)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// SPDX 2.3 SBOMs with syft, per image (by digest, else its exported tarball), in parallel and bounded.
/// Each SBOM is validated and checked to describe that image's digest before it replaces the file;
/// a failed or invalid SBOM leaves no file behind (syft truncates its output before resolving the source).
/// </summary>
public sealed class SbomStage(ToolRunner runner, LocatedTool syft, SbomOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Parallelism));

    public LocatedTool Syft { get; } = syft;

    public async Task<IReadOnlyList<SbomOutcome>> GenerateAsync(IReadOnlyList<ImageRecord> images, CancellationToken cancellation)
        => await Task.WhenAll(images.Select(image => GenerateAsync(image, cancellation)));

    /// <summary>One image's SBOM when a slot is free (at most Parallelism at once across the run); callable as soon as that image is pushed.</summary>
    public async Task<SbomOutcome> GenerateAsync(ImageRecord image, CancellationToken cancellation)
    {
        await _slots.WaitAsync(cancellation);
        try
        {
            return await GenerateCoreAsync(image, cancellation);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    public static SyftSource? SourceOf(ImageRecord image)
        => image.DigestReference is { } reference ? new SyftSource.RegistryImage(reference)
            : image.ExportPath is { Length: > 0 } tarball ? new SyftSource.DockerArchive(tarball)
            : null;

    private async Task<SbomOutcome> GenerateCoreAsync(ImageRecord image, CancellationToken cancellation)
    {
        var name = image.Component;
        var source = SourceOf(image);
        if (source is null)
        {
            Log.Warning($"{name}: no SBOM: the image was neither pushed (no digest) nor exported (no tarball). Run BuildImages with --push or --export first.");
            return new SbomOutcome(name, null, null, null, Skipped: true);
        }
        Directory.CreateDirectory(options.Directory);
        var final = options.Directory / $"{name}.spdx.json";
        var temporary = options.Directory / $".{name}.spdx.json.{Guid.NewGuid():N}.tmp";
        // A tarball's SBOM cannot be tied to a registry digest; a registry image's must describe exactly its digest.
        var expectedDigest = source is SyftSource.RegistryImage ? image.Digest : null;
        try
        {
            Log.Status(name, $"SBOM of {source.Argument}");
            var result = await runner.RunAsync(SyftCommands.Scan(Syft.Path, options.Settings, source, temporary), cancellation);
            var info = new FileInfo(temporary);
            if (!info.Exists || info.Length == 0)
                throw new InvalidSbomException(runner.Unreadable(result, "SBOM", $"syft wrote {(info.Exists ? "an empty" : "no")} {final}"));
            var bytes = await File.ReadAllBytesAsync(temporary, cancellation);
            var summary = SpdxValidator.Validate(System.Text.Encoding.UTF8.GetString(bytes), final, expectedDigest);
            File.Move(temporary, final, overwrite: true);
            var record = new SbomRecord
            {
                Path = final,
                Format = SyftCommands.SpdxJson23,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Packages = summary.Packages,
                DescribedDigest = summary.DescribedDigest is { Length: > 0 } d ? d : null,
                ToolVersion = Syft.Version.ToString(),
            };
            Log.Status(name, $"SBOM: {record.Packages} packages");
            return new SbomOutcome(name, source.Argument, record, null);
        }
        catch (Exception e) when (e is ToolFailedException or InvalidSbomException or ArgumentException or IOException)
        {
            // Never leave an SBOM that could be mistaken for this image's: not the partial one, not an older one.
            if (File.Exists(final)) File.Delete(final);
            Log.Status(name, "SBOM failed");
            return new SbomOutcome(name, source.Argument, null, $"{name} ({source.Argument}): {runner.Masker.Mask(e.Message)}");
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
