using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Engine;
using Xunit;

namespace Vteam.Build.Tests.Reporting;

public class ReportBuild : NukeBuild, IReport
{
    public Target Prepare => _ => _.Executes(() =>
        ((IHazManifest)this).Manifest.Update(m =>
        {
            var clean = SecurityReportSpecs.CleanRun();
            m.Images = clean.Images;
            m.Pins = clean.Pins;
            m.Secrets = clean.Secrets;
            m.Manifests = clean.Manifests;
            m.Images[0].Scan!.Critical = Critical;
        }));

    [Parameter("Critical vulnerabilities planted in the first image.")] public int Critical;
}

public class ReportTargetSpecs
{
    [Fact]
    public async Task On_GitHub_Actions_the_report_goes_to_the_step_summary_and_a_failing_KPI_fails_the_target()
    {
        var summary = Path.GetTempFileName();
        var run = await EngineHarness.RunAsync<ReportBuild>(["Prepare", "Report", "--critical", "2"],
            new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.Equal(1, run.ExitCode);
        var text = await File.ReadAllTextAsync(summary);
        Assert.Contains("# Security report", text);
        Assert.Contains("| Critical vulnerabilities | 0 | 2 — over the limit: backend | ❌ fail |", text);
        Assert.Contains("| Report | Failed (1 error reported) |", text);
        Assert.Contains("::error title=critical-vulnerabilities::KPI 'Critical vulnerabilities' fails", run.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Root, "artifacts", "security-report.json")));
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task A_clean_run_passes_and_writes_every_format()
    {
        var run = await EngineHarness.RunAsync<ReportBuild>(["Prepare", "Report"]);

        Assert.Equal(0, run.ExitCode);
        foreach (var file in new[] { "security-report.md", "security-report.html", "security-report.json", "security-report.sarif" })
            Assert.True(File.Exists(Path.Combine(run.Root, "artifacts", file)), file);
    }
}
