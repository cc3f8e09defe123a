using Vteam.Build.Engine;
using Vteam.Build.Reporting;

namespace Vteam.Build.Components;

/// <summary>The security report: every KPI of the plan, a table per image, one merged SARIF; the policy's verdict.</summary>
public interface IReport : IHazManifest
{
    /// <summary>The thresholds the KPIs are measured against; a build passes its gates' parameters here.</summary>
    ReportPolicy ReportPolicy => new();

    AbsolutePath ReportDirectory => ArtifactsDirectory;

    [Parameter("Set by GitHub Actions: the job's step summary file; the report's Markdown is appended to it.", Name = "github-step-summary", EnvironmentVariable = "GITHUB_STEP_SUMMARY")]
    string? GitHubStepSummary => TryGetValue(() => GitHubStepSummary);

    Target Report => _ => _
        .Description("Write artifacts/security-report.{md,html,json} and security-report.sarif with every KPI; fail when a KPI fails.")
        .AssuredAfterFailure()
        .Executes(() =>
        {
            var manifest = Manifest.Read();
            var report = SecurityReportBuilder.Build(manifest, ReportPolicy, DateTimeOffset.UtcNow);
            var markdown = Masker.Mask(MarkdownReportWriter.Write(report));
            AtomicFile.WriteAllText(ReportDirectory / "security-report.md", markdown);
            AtomicFile.WriteAllText(ReportDirectory / "security-report.html", Masker.Mask(HtmlReportWriter.Write(report)));
            AtomicFile.WriteAllText(ReportDirectory / "security-report.json", Masker.Mask(
                System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options)) + "\n");
            var sarifInputs = SarifInputs(manifest).Where(p => File.Exists(p)).Select(p => (p, File.ReadAllText(p))).ToArray();
            AtomicFile.WriteAllText(ReportDirectory / "security-report.sarif", Masker.Mask(SarifMerger.Merge(sarifInputs)));
            if (Host == BuildHost.GitHubActions && GitHubStepSummary is { Length: > 0 } summary)
                File.AppendAllText(summary, markdown + "\n");

            Log.Table("Security KPIs", ["KPI", "Target", "Actual", "Result"],
                report.Kpis.Select(k => (IReadOnlyList<string>)[k.Name, k.Target, k.Actual + (k.Detail is null ? "" : $" ({k.Detail})"),
                    k.Status switch { KpiStatus.Pass => "pass", KpiStatus.Fail => "FAIL", _ => "not measured" }]));
            Log.Information($"Report: {(ReportDirectory / "security-report.html").RelativeTo(RootDirectory)} (also .md, .json, .sarif)");
            foreach (var kpi in report.Failing)
                Log.Report(new Diagnostic(DiagnosticSeverity.Error, $"KPI '{kpi.Name}' fails: {kpi.Actual}, target {kpi.Target}{(kpi.Detail is null ? "" : $" ({kpi.Detail})")}.", RuleId: kpi.Id));
        });

    /// <summary>Every SARIF log a stage recorded in images.json, as absolute paths.</summary>
    IEnumerable<string> SarifInputs(BuildManifest manifest)
    {
        var paths = manifest.Images.Select(i => i.Scan?.SarifReport)
            .Append(manifest.Secrets?.SarifReport)
            .Append(manifest.Manifests?.SarifReport);
        return paths.OfType<string>().Select(p => Path.IsPathFullyQualified(p) ? p : (RootDirectory / p).Value).Distinct();
    }
}

internal static class ReportJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };
}
