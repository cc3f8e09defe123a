using System.Globalization;
using Vteam.Build.Engine;
using Vteam.Build.Reporting.Sarif;

namespace Vteam.Build.Policy.Manifests;

/// <summary>
/// One run of the check as the target performs it: load, check, report each finding, write SARIF and
/// show the KPIs. Kept out of the target so tests run it exactly as the build does.
/// </summary>
public static class ManifestCheckStage
{
    public static ManifestCheckReport Run(AbsolutePath manifestsDirectory, AbsolutePath root, AbsolutePath sarifFile, ManifestCheckOptions options)
    {
        ManifestSet set;
        try
        {
            set = ManifestLoader.Load(manifestsDirectory, root);
        }
        catch (ManifestFormatException e)
        {
            // The SARIF log still says what went wrong, so a code-scanning upload shows it at the line.
            Log.Report(DiagnosticSeverity.Error, e.Message, e.File, e.Line, ManifestSarif.UnreadableRuleId);
            SarifWriter.Write(sarifFile, ManifestSarif.Unreadable(e));
            throw;
        }

        var report = ManifestChecker.Check(set, options);
        foreach (var finding in report.Findings)
            Log.Report(finding.ToDiagnostic());
        SarifWriter.Write(sarifFile, ManifestSarif.Build(report));

        var k = report.Kpis;
        Log.Table("Manifest KPIs", ["KPI", "Value"],
        [
            ["Workloads checked", k.Workloads.ToString(CultureInfo.InvariantCulture)],
            ["Pods running as non-root", Percent(k.PodsNonRootPercent)],
            ["NetworkPolicy coverage", Percent(k.NetworkPolicyCoveragePercent)],
            ["Secret rotation compliance", k.SecretRotationCompliancePercent is { } r ? Percent(r) : "n/a (no secrets)"],
            ["mTLS coverage", Percent(k.MtlsCoveragePercent)],
            ["Errors / warnings", $"{report.Errors} / {report.Warnings}"],
        ]);
        return report;
    }

    /// <summary>The message of the exception that fails the target: what, where first, what to do.</summary>
    public static string FailureMessage(ManifestCheckReport report, string sarifPath)
    {
        var first = report.Findings.First(f => f.Severity == DiagnosticSeverity.Error);
        return $"CheckManifests found {report.Errors} error(s) in the manifests, the first at {first.File}:{first.Line} ({first.RuleId} {first.Rule.Name}). "
               + $"Fix them as each diagnostic says (all are in {sarifPath}) and run CheckManifests again.";
    }

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
