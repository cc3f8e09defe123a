using Vteam.Build.Components;

namespace Vteam.Build.Release;

/// <summary>A file to publish: the name on the release and where it is here.</summary>
public sealed record ReleaseFile(string Name, string Path);

/// <summary>The files of a release, and the problems that forbid publishing it (all reported at once).</summary>
public sealed record ReleaseSelection(IReadOnlyList<ReleaseFile> Files, IReadOnlyList<string> Problems);

/// <param name="SigningConfigured">When true, only verified images may be published and any other refuses the release.</param>
/// <param name="ResolvePath">Turns a path recorded in images.json into a full path.</param>
/// <param name="ImagesJson">The snapshot of images.json to publish.</param>
/// <param name="SecurityReports">artifacts/security-report.* as found.</param>
public sealed record ReleaseInputs(
    bool SigningConfigured,
    Func<string, string> ResolvePath,
    string ImagesJson,
    IReadOnlyList<string> SecurityReports);

/// <summary>
/// Which files make the release, from images.json: per image its SBOM (<c>&lt;component&gt;-sbom.spdx.json</c>),
/// its scan reports (JSON and SARIF) and its provenance; then the security report and images.json.
/// Secret-scan reports are never published: they may quote the secrets they found.
/// </summary>
public static class ReleaseAssetSelection
{
    public static ReleaseSelection Select(BuildManifest manifest, ReleaseInputs inputs, Func<string, bool>? fileExists = null)
    {
        fileExists ??= File.Exists;
        var files = new List<ReleaseFile>();
        var problems = new List<string>();

        foreach (var image in manifest.Images.OrderBy(i => i.Component, StringComparer.Ordinal))
        {
            if (inputs.SigningConfigured && Unverified(image) is { } why)
            {
                problems.Add($"{image.Component}: {why}. Only verified images are published: run SignImages and VerifyImages, and fix what they report.");
                continue;
            }

            if (image.Sbom is { Path.Length: > 0 } sbom)
                Add($"{image.Component}-sbom.spdx.json", sbom.Path, image.Component, "GenerateSboms");
            if (image.Scan is { } scan)
            {
                var tool = string.IsNullOrWhiteSpace(scan.Tool) ? "scan" : scan.Tool.Trim().ToLowerInvariant();
                if (scan.JsonReport is { Length: > 0 } json) Add($"{image.Component}-{tool}.json", json, image.Component, "ScanVulnerabilities");
                if (scan.SarifReport is { Length: > 0 } sarif) Add($"{image.Component}-{tool}.sarif", sarif, image.Component, "ScanVulnerabilities");
            }
            if (image.Signature?.ProvenancePath is { Length: > 0 } provenance)
                Add($"{image.Component}-provenance.json", provenance, image.Component, "SignImages");
        }

        foreach (var report in inputs.SecurityReports.OrderBy(Path.GetFileName, StringComparer.Ordinal))
            Add(Path.GetFileName(report), report, null, "Report");
        Add("images.json", inputs.ImagesJson, null, nameof(Components.IPublishRelease.ChecksumRelease));

        foreach (var clash in files.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"Two files would be published as '{clash.Key}': {string.Join(", ", clash.Select(f => f.Path))}. Rename one.");

        return new ReleaseSelection(files, problems);

        void Add(string name, string recorded, string? component, string producer)
        {
            var path = inputs.ResolvePath(recorded);
            if (!fileExists(path))
                problems.Add($"{path}: {(component is null ? "" : component + ": ")}'{name}' is recorded but missing. Run {producer} again.");
            else
                files.Add(new ReleaseFile(name, path));
        }
    }

    private static string? Unverified(ImageRecord image) => image.Signature switch
    {
        null => "has no signature",
        { Verified: false } s => $"its signature did not verify{(s.Failure is null ? "" : $" ({s.Failure})")}",
        { SbomAttested: true, SbomVerified: false } => "its SBOM attestation did not verify",
        { ProvenanceAttested: true, ProvenanceVerified: false } => "its provenance attestation did not verify",
        _ => null,
    };
}
