using System.Globalization;
using System.Text;
using Vteam.Build.Components;

namespace Vteam.Build.Release;

/// <summary>
/// The release body, generated from images.json: per component its digest, signature and
/// verification, SBOM packages and vulnerability counts. The same manifest gives the same text, so a
/// re-run does not edit the release.
/// </summary>
public static class ReleaseNotes
{
    public static string Render(BuildManifest manifest, string tag)
    {
        var text = new StringBuilder();
        text.Append("## vTeam ").Append(tag).Append("\n\n");
        if (manifest.GitCommit is { Length: > 0 } commit)
            text.Append("Built from commit `").Append(commit).Append("`.\n\n");

        var images = manifest.Images.OrderBy(i => i.Component, StringComparer.Ordinal).ToArray();
        if (images.Length == 0)
            text.Append("No images in this release.\n");
        else
        {
            text.Append("| Component | Image | Signed | Verified | SBOM packages | Critical | High | Medium | Low |\n");
            text.Append("|---|---|---|---|---:|---:|---:|---:|---:|\n");
            foreach (var image in images)
            {
                var reference = image.DigestReference ?? image.Digest;
                text.Append("| ").Append(Cell(image.Component))
                    .Append(" | ").Append(reference is null ? "not pushed" : $"`{Cell(reference)}`")
                    .Append(" | ").Append(YesNo(image.Signature?.Signed))
                    .Append(" | ").Append(YesNo(image.Signature?.Verified))
                    .Append(" | ").Append(image.Sbom is null ? "–" : image.Sbom.Packages.ToString(CultureInfo.InvariantCulture))
                    .Append(" | ").Append(Count(image.Scan, s => s.Critical))
                    .Append(" | ").Append(Count(image.Scan, s => s.High))
                    .Append(" | ").Append(Count(image.Scan, s => s.Medium))
                    .Append(" | ").Append(Count(image.Scan, s => s.Low))
                    .Append(" |\n");
            }
        }

        text.Append('\n')
            .Append("Every asset is listed in `").Append(Checksums.FileName).Append("`; check a download with `sha256sum -c --ignore-missing ")
            .Append(Checksums.FileName).Append("`.");
        if (images.Any(i => i.Signature?.Verified == true))
            text.Append(" Images are signed by digest: verify one with `cosign verify` on the reference above.");
        text.Append('\n');
        return text.ToString();
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "–" };

    private static string Count(ScanRecord? scan, Func<ScanRecord, int> count)
        => scan is null ? "–" : count(scan).ToString(CultureInfo.InvariantCulture);

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
