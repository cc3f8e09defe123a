using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Engine;

namespace Vteam.Build.Release;

/// <summary>The release as prepared in artifacts/release/: its tag, notes and every asset with its sha256.</summary>
public sealed record PreparedRelease(string Tag, string Name, string Notes, string? TargetCommitish, IReadOnlyList<LocalAsset> Assets)
{
    public bool Prerelease => Tag.Contains('-', StringComparison.Ordinal);
}

/// <summary>
/// What PublishRelease does, as plain functions of the manifest and paths, so that tests run it
/// without the engine: <see cref="Prepare"/> writes artifacts/release/ (images.json, SHA256SUMS,
/// release-notes.md); <see cref="PublishAsync"/> sends it through an <see cref="IReleasePublisher"/>.
/// </summary>
public static class ReleaseStage
{
    public const string ReleaseFolder = "release";
    public const string NotesFileName = "release-notes.md";

    public static string ResolveTag(string? releaseTag, string? version, string? manifestVersion)
    {
        if (!string.IsNullOrWhiteSpace(releaseTag)) return releaseTag.Trim();
        var v = !string.IsNullOrWhiteSpace(version) ? version.Trim() : manifestVersion?.Trim();
        if (string.IsNullOrEmpty(v))
            throw new InvalidOperationException("PublishRelease needs a version: pass --version 1.2.3 (the tag is v1.2.3) or --release-tag.");
        return char.IsAsciiDigit(v[0]) ? "v" + v : v;
    }

    /// <param name="resolvePath">Turns a path recorded in images.json into a full path.</param>
    public static PreparedRelease Prepare(BuildManifest manifest, AbsolutePath artifacts, string tag, bool signingConfigured, Func<string, string> resolvePath)
    {
        var folder = (artifacts / ReleaseFolder).CreateDirectory();

        // images.json as it stands before this stage records the release, so re-runs publish the same bytes.
        var snapshot = JsonSerializer.Deserialize<BuildManifest>(JsonSerializer.Serialize(manifest, BuildManifest.JsonOptions), BuildManifest.JsonOptions)!;
        snapshot.Release = null;
        var imagesJson = folder / "images.json";
        WriteIfChanged(imagesJson, JsonSerializer.Serialize(snapshot, BuildManifest.JsonOptions) + "\n");

        var reports = artifacts.DirectoryExists()
            ? Directory.GetFiles(artifacts, "security-report.*").Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray()
            : [];
        var selection = ReleaseAssetSelection.Select(manifest, new ReleaseInputs(signingConfigured, resolvePath, imagesJson, reports));
        if (selection.Problems.Count > 0)
        {
            foreach (var problem in selection.Problems)
                Log.Report(new Diagnostic(DiagnosticSeverity.Error, problem, RuleId: "release"));
            throw new InvalidOperationException(
                $"The release {tag} is refused: {selection.Problems.Count} problem(s), listed above. Nothing was sent to GitHub.");
        }

        var assets = selection.Files.Select(f => LocalAsset.FromFile(f.Name, f.Path)).ToList();
        var sumsPath = folder / Checksums.FileName;
        WriteIfChanged(sumsPath, Checksums.Render(assets));
        var sums = LocalAsset.FromFile(Checksums.FileName, sumsPath);
        assets.Add(sums);

        if (FindBundle(artifacts) is { } bundlePath)
        {
            var signed = SigstoreBundle.SignedSha256(File.ReadAllText(bundlePath), bundlePath);
            if (signed is not null && !string.Equals(signed, sums.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"{bundlePath}: the bundle signs sha256 {signed}, but {sumsPath} is now {sums.Sha256}: it belongs to an older " +
                    $"{Checksums.FileName}. Sign the new one (cosign sign-blob --bundle {bundlePath} {sumsPath}) after ChecksumRelease, or delete the bundle.");
            assets.Add(LocalAsset.FromFile(Checksums.BundleFileName, bundlePath));
        }

        var notes = ReleaseNotes.Render(manifest, tag);
        WriteIfChanged(folder / NotesFileName, notes);
        return new PreparedRelease(tag, $"vTeam {tag}", notes, manifest.GitCommit, assets);
    }

    public static Task<PublicationResult> PublishAsync(PreparedRelease release, IReleasePublisher publisher, bool keepDraft, CancellationToken cancellationToken)
        => new ReleasePublication(publisher).PublishAsync(
            new ReleaseRequest(release.Tag, release.Name, release.Notes, release.TargetCommitish, release.Prerelease, keepDraft),
            release.Assets, cancellationToken);

    public static void PrintPlan(PreparedRelease release)
        => Log.Table($"Release {release.Tag}: assets", ["Asset", "Size", "sha256"],
            release.Assets.Select(a => (IReadOnlyList<string>)[a.Name, a.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Sha256]));

    private static string? FindBundle(AbsolutePath artifacts)
        => new[] { artifacts / ReleaseFolder / Checksums.BundleFileName, artifacts / Checksums.BundleFileName }
            .FirstOrDefault(p => p.FileExists())?.Value;

    private static void WriteIfChanged(AbsolutePath path, string content)
    {
        if (path.FileExists() && File.ReadAllText(path) == content) return;
        AtomicFile.WriteAllText(path, content);
    }
}
