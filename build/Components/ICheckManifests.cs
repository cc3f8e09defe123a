using Vteam.Build.Engine;
using Vteam.Build.Policy.Manifests;

namespace Vteam.Build.Components;

/// <summary>
/// The plan's cluster hardening (Phase 1.1, 1.2, 1.5, 2.1, 2.2, 2.3, 3.2) checked on every change of
/// components/manifests: diagnostics with file:line, artifacts/manifests.sarif, and the KPIs in the run record.
/// </summary>
public interface ICheckManifests : IHazManifest
{
    [Parameter("Check for a release: an image in the manifests that is not pinned by digest is an error, not a warning.")]
    bool? Release => TryGetValue(() => Release);

    [Parameter("The longest refreshInterval an ExternalSecret may have, as a Go duration (24h, 90m). Default: 24h.")]
    string? ExternalSecretRefreshMaximum => TryGetValue(() => ExternalSecretRefreshMaximum);

    AbsolutePath ManifestsDirectory => RootDirectory / "components" / "manifests";
    AbsolutePath ManifestsSarifFile => ArtifactsDirectory / "manifests.sarif";

    /// <summary>The settings hook: a build overrides it to rename the plan's workloads or change limits.</summary>
    ManifestCheckOptions ManifestCheckSettings(ManifestCheckOptions options) => options;

    Target CheckManifests => _ => _
        .Description("Checks components/manifests against the plan's pod, network, RBAC, quota, secret, mTLS and runtime-profile rules.")
        .Executes(() =>
        {
            var options = ManifestCheckSettings(new ManifestCheckOptions
            {
                Release = Release ?? false,
                ExternalSecretRefreshMaximum = RefreshMaximum(ExternalSecretRefreshMaximum),
            });
            var report = ManifestCheckStage.Run(ManifestsDirectory, RootDirectory, ManifestsSarifFile, options);
            var k = report.Kpis;
            Manifest.Update(m => m.Manifests = new ManifestCheckRecord
            {
                Errors = report.Errors,
                Warnings = report.Warnings,
                Workloads = k.Workloads,
                PodsNonRootPercent = k.PodsNonRootPercent,
                NetworkPolicyCoveragePercent = k.NetworkPolicyCoveragePercent,
                SecretRotationCompliancePercent = k.SecretRotationCompliancePercent,
                MtlsCoveragePercent = k.MtlsCoveragePercent,
                RotationJobPresent = k.RotationJobPresent,
                SarifReport = ManifestsSarifFile.RelativeTo(RootDirectory),
                Passed = report.Passed,
            });
            if (!report.Passed)
                throw new InvalidOperationException(ManifestCheckStage.FailureMessage(report, ManifestsSarifFile.RelativeTo(RootDirectory)));
        });

    private static TimeSpan RefreshMaximum(string? value)
    {
        if (value is null) return TimeSpan.FromHours(24);
        if (GoDuration.TryParse(value, out var maximum) && maximum > TimeSpan.Zero) return maximum;
        throw new ArgumentException(
            $"--external-secret-refresh-maximum '{value}' is not a positive duration. Give one like 24h or 90m (command line, EXTERNAL_SECRET_REFRESH_MAXIMUM or .nuke/parameters.json).");
    }
}
