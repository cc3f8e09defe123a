using System.Globalization;
using Vteam.Build.Components;

namespace Vteam.Build.Reporting;

/// <summary>Builds the report from the run record: a pure function of images.json and the policy.</summary>
public static class SecurityReportBuilder
{
    public static SecurityReport Build(BuildManifest manifest, ReportPolicy policy, DateTimeOffset now)
    {
        var images = manifest.Images;
        var kpis = new List<Kpi>
        {
            Vulnerabilities(images, "critical-vulnerabilities", "Critical vulnerabilities", policy.MaxCriticalPerImage, s => s.Critical),
            Vulnerabilities(images, "high-vulnerabilities", "High vulnerabilities", policy.MaxHighPerImage, s => s.High),
            BaseImagesPinned(manifest),
            Signed(images),
            SbomCoverage(images),
            Percent("pods-non-root", "Pods running as non-root", manifest.Manifests?.PodsNonRootPercent, "manifests were not checked"),
            Percent("networkpolicy-coverage", "NetworkPolicy coverage", manifest.Manifests?.NetworkPolicyCoveragePercent, "manifests were not checked"),
            ManifestErrors(manifest.Manifests),
            Secrets(manifest.Secrets),
            Percent("secret-rotation", "Secret rotation compliance", manifest.Manifests?.SecretRotationCompliancePercent, "no ExternalSecrets were checked"),
            Percent("mtls-coverage", "mTLS coverage for internal traffic", manifest.Manifests?.MtlsCoveragePercent, "no mTLS policy was checked"),
        };
        var rows = images.Select(i => new ImageRow(
            i.Component, i.Repository, i.Digest ?? i.ImageId,
            i.BaseImages.Select(b => b.Digest is null || b.Reference.Contains('@') ? b.Reference : $"{b.Reference}@{b.Digest}").ToArray(),
            i.Scan?.Critical, i.Scan?.High, i.Scan?.Medium, i.Scan?.Low, i.Scan?.Unknown,
            i.Sbom?.Packages,
            SignatureText(i.Signature))).ToArray();
        return new SecurityReport(now, manifest.Version, manifest.GitCommit, kpis, rows);
    }

    private static Kpi Vulnerabilities(List<ImageRecord> images, string id, string name, int maxPerImage, Func<ScanRecord, int> count)
    {
        var target = maxPerImage == 0 ? "0" : $"< {maxPerImage + 1} per image";
        var scanned = images.Where(i => i.Scan is not null).ToArray();
        if (scanned.Length == 0) return new Kpi(id, name, target, "not scanned", KpiStatus.NotMeasured, "no image was scanned");
        var total = scanned.Sum(i => count(i.Scan!));
        var worst = scanned.MaxBy(i => count(i.Scan!))!;
        var over = scanned.Where(i => count(i.Scan!) > maxPerImage).Select(i => i.Component).ToArray();
        var actual = maxPerImage == 0 ? total.ToString(CultureInfo.InvariantCulture) : $"{count(worst.Scan!)} (worst: {worst.Component}; total {total})";
        var unscanned = images.Count - scanned.Length;
        var detail = over.Length > 0 ? "over the limit: " + string.Join(", ", over) : unscanned > 0 ? $"{unscanned} image(s) not scanned" : null;
        return new Kpi(id, name, target, actual, over.Length == 0 && unscanned == 0 ? KpiStatus.Pass : KpiStatus.Fail, detail);
    }

    private static Kpi BaseImagesPinned(BuildManifest manifest)
    {
        int references, pinned;
        if (manifest.Pins is { References: > 0 } pins) (references, pinned) = (pins.References, pins.Pinned);
        else
        {
            var bases = manifest.Images.SelectMany(i => i.BaseImages).ToArray();
            (references, pinned) = (bases.Length, bases.Count(b => b.Pinned));
        }
        if (references == 0) return new Kpi("base-images-pinned", "Base images pinned", "100%", "not checked", KpiStatus.NotMeasured, "no base image reference was recorded");
        return Ratio("base-images-pinned", "Base images pinned", pinned, references, $"{references - pinned} unpinned");
    }

    private static Kpi Signed(List<ImageRecord> images)
    {
        if (images.Count == 0) return new Kpi("images-signed", "Images signed and verified", "100%", "no images", KpiStatus.NotMeasured);
        if (images.All(i => i.Signature is null))
            return new Kpi("images-signed", "Images signed and verified", "100%", "not signed", KpiStatus.NotMeasured, "signing is not configured (--cosign-key or keyless on Actions)");
        var verified = images.Count(i => i.Signature is { Verified: true, SbomVerified: true, ProvenanceVerified: true } || i.Signature is { Verified: true, SbomAttested: false, ProvenanceAttested: false });
        var failing = images.Where(i => i.Signature is not { Verified: true }).Select(i => i.Component);
        return Ratio("images-signed", "Images signed and verified", verified, images.Count, "not verified: " + string.Join(", ", failing));
    }

    private static Kpi SbomCoverage(List<ImageRecord> images)
    {
        if (images.Count == 0) return new Kpi("sbom-coverage", "SBOM coverage", "100%", "no images", KpiStatus.NotMeasured);
        if (images.All(i => i.Sbom is null)) return new Kpi("sbom-coverage", "SBOM coverage", "100%", "no SBOMs", KpiStatus.NotMeasured, "GenerateSboms did not run");
        var missing = images.Where(i => i.Sbom is null).Select(i => i.Component);
        return Ratio("sbom-coverage", "SBOM coverage", images.Count(i => i.Sbom is not null), images.Count, "missing: " + string.Join(", ", missing));
    }

    /// <summary>Every hardening rule (privileged, host namespaces, RBAC wildcards, ...) beyond the two percentages.</summary>
    private static Kpi ManifestErrors(ManifestCheckRecord? manifests)
        => manifests is null
            ? new Kpi("manifest-findings", "Manifest hardening errors", "0", "not checked", KpiStatus.NotMeasured, "CheckManifests did not run")
            : new Kpi("manifest-findings", "Manifest hardening errors", "0", manifests.Errors.ToString(CultureInfo.InvariantCulture),
                manifests.Errors == 0 ? KpiStatus.Pass : KpiStatus.Fail,
                manifests.Warnings > 0 ? $"{manifests.Warnings} warning(s)" : null);

    private static Kpi Secrets(SecretScanRecord? secrets)
        => secrets is null
            ? new Kpi("verified-secrets", "Verified secrets in git history", "0", "not scanned", KpiStatus.NotMeasured, "ScanSecrets did not run")
            : new Kpi("verified-secrets", "Verified secrets in git history", "0", secrets.Verified.ToString(CultureInfo.InvariantCulture),
                secrets.Verified == 0 ? KpiStatus.Pass : KpiStatus.Fail,
                secrets.Unknown > 0 ? $"{secrets.Unknown} unknown (could not be verified)" : null);

    private static Kpi Percent(string id, string name, double? percent, string notMeasured)
        => percent is null
            ? new Kpi(id, name, "100%", "not measured", KpiStatus.NotMeasured, notMeasured)
            : new Kpi(id, name, "100%", FormatPercent(percent.Value), percent.Value >= 100 - 1e-9 ? KpiStatus.Pass : KpiStatus.Fail);

    private static Kpi Ratio(string id, string name, int good, int all, string failingDetail)
        => new(id, name, "100%", $"{FormatPercent(100.0 * good / all)} ({good}/{all})", good == all ? KpiStatus.Pass : KpiStatus.Fail, good == all ? null : failingDetail);

    public static string FormatPercent(double value) => value.ToString(value % 1 == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + "%";

    private static string SignatureText(SignatureRecord? s) => s switch
    {
        null => "not signed",
        { Verified: true } => $"verified ({s.Mode}{(s.SbomVerified ? ", SBOM" : "")}{(s.ProvenanceVerified ? ", provenance" : "")})",
        { Signed: true } => "signed, NOT verified" + (s.Failure is null ? "" : $": {s.Failure}"),
        _ => "not signed" + (s.Failure is null ? "" : $": {s.Failure}"),
    };
}
