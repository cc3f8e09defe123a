using System.Text;

namespace Vteam.Build.Reporting;

/// <summary>artifacts/security-report.md, also the GitHub step summary.</summary>
public static class MarkdownReportWriter
{
    public static string Write(SecurityReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Security report");
        md.AppendLine();
        md.AppendLine($"{(report.Passed ? "✅ All measured KPIs pass." : $"❌ {report.Failing.Count()} KPI(s) fail.")} " +
                      $"Version {report.Version ?? "(none)"}, commit {Short(report.GitCommit)}, generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC.");
        md.AppendLine();
        md.AppendLine("| KPI | Target | Actual | Result |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var k in report.Kpis)
            md.AppendLine($"| {Cell(k.Name)} | {Cell(k.Target)} | {Cell(k.Actual)}{(k.Detail is null ? "" : $" — {Cell(k.Detail)}")} | {Result(k.Status)} |");
        md.AppendLine();
        md.AppendLine("## Images");
        md.AppendLine();
        if (report.Images.Count == 0)
        {
            md.AppendLine("No images were built.");
            return md.ToString();
        }
        md.AppendLine("| Component | Digest | Base images | Critical | High | Medium | Low | SBOM packages | Signature |");
        md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var i in report.Images)
            md.AppendLine($"| {Cell(i.Component)} | `{Cell(i.Repository is null ? i.Digest ?? "" : $"{i.Repository}@{i.Digest}")}` | {Cell(string.Join("<br>", i.BaseImages))} | " +
                          $"{N(i.Critical)} | {N(i.High)} | {N(i.Medium)} | {N(i.Low)} | {N(i.SbomPackages)} | {Cell(i.Signature)} |");
        return md.ToString();
    }

    public static string Result(KpiStatus status) => status switch
    {
        KpiStatus.Pass => "✅ pass",
        KpiStatus.Fail => "❌ fail",
        _ => "➖ not measured",
    };

    private static string N(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–";
    private static string Short(string? commit) => commit is { Length: > 12 } ? commit[..12] : commit ?? "(none)";
    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
