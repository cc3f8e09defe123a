using Vteam.Build.Components;
using Vteam.Build.Reporting;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Reporting;

public class SecurityReportSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    internal static BuildManifest CleanRun() => new()
    {
        Version = "1.2.0",
        GitCommit = "0123456789abcdef0123456789abcdef01234567",
        Pins = new PinCheckRecord { References = 5, Pinned = 5, Passed = true },
        Secrets = new SecretScanRecord { Verified = 0, Unknown = 1, Passed = true },
        Manifests = new ManifestCheckRecord { PodsNonRootPercent = 100, NetworkPolicyCoveragePercent = 100, SecretRotationCompliancePercent = 100, MtlsCoveragePercent = 100, Passed = true },
        Images =
        [
            Image("backend", critical: 0, high: 2),
            Image("frontend", critical: 0, high: 4),
        ],
    };

    private static ImageRecord Image(string component, int critical, int high) => new()
    {
        Component = component,
        Repository = $"quay.io/ambient_code/vteam_{component}",
        Digest = "sha256:" + new string(component[0], 64),
        BaseImages = [new BaseImageRecord { Reference = "alpine:3.19@sha256:" + new string('a', 64), Pinned = true, Line = 1 }],
        Scan = new ScanRecord { Critical = critical, High = high, Medium = 3, Low = 7, Passed = critical == 0 && high < 5 },
        Sbom = new SbomRecord { Path = $"artifacts/sbom/{component}.spdx.json", Packages = 42, Sha256 = new string('b', 64) },
        Signature = new SignatureRecord { Signed = true, Verified = true, SbomAttested = true, SbomVerified = true, ProvenanceAttested = true, ProvenanceVerified = true },
    };

    [Fact]
    public void A_clean_run_passes_every_KPI()
    {
        var report = SecurityReportBuilder.Build(CleanRun(), new ReportPolicy(), Now);

        Assert.True(report.Passed);
        Assert.All(report.Kpis, k => Assert.Equal(KpiStatus.Pass, k.Status));
        Assert.Equal(11, report.Kpis.Count);
        Assert.Equal("4 (worst: frontend; total 6)", report.Kpis.Single(k => k.Id == "high-vulnerabilities").Actual);
    }

    [Fact]
    public void Each_planted_problem_fails_its_own_KPI()
    {
        var manifest = CleanRun();
        manifest.Images[0].Scan!.Critical = 1;
        manifest.Images[1].Scan!.High = 5;
        manifest.Pins!.Pinned = 4;
        manifest.Images[1].Signature!.Verified = false;
        manifest.Images[1].Sbom = null;
        manifest.Manifests!.PodsNonRootPercent = 66.7;
        manifest.Manifests.NetworkPolicyCoveragePercent = 75;
        manifest.Secrets!.Verified = 1;
        manifest.Manifests.Errors = 1;

        var report = SecurityReportBuilder.Build(manifest, new ReportPolicy(), Now);

        Assert.False(report.Passed);
        Assert.Equal(
            ["critical-vulnerabilities", "high-vulnerabilities", "base-images-pinned", "images-signed", "sbom-coverage", "pods-non-root", "networkpolicy-coverage", "manifest-findings", "verified-secrets"],
            report.Failing.Select(k => k.Id));
        Assert.Equal("over the limit: frontend", report.Kpis.Single(k => k.Id == "high-vulnerabilities").Detail);
        Assert.Equal("80% (4/5)", report.Kpis.Single(k => k.Id == "base-images-pinned").Actual);
    }

    [Fact]
    public void A_stage_that_did_not_run_is_not_measured_rather_than_passed()
    {
        var report = SecurityReportBuilder.Build(new BuildManifest { Images = [new ImageRecord { Component = "backend" }] }, new ReportPolicy(), Now);

        Assert.True(report.Passed);
        Assert.All(report.Kpis, k => Assert.Equal(KpiStatus.NotMeasured, k.Status));
    }

    [Fact]
    public void The_markdown_report_shows_the_KPI_table_and_a_row_per_image()
    {
        var manifest = CleanRun();
        manifest.Images[0].Scan!.Critical = 2;

        GoldenFile.Verify("Reporting/security-report.md", MarkdownReportWriter.Write(SecurityReportBuilder.Build(manifest, new ReportPolicy(), Now)));
    }

    [Fact]
    public void The_html_report_is_self_contained_and_draws_each_severity_per_image()
    {
        var html = HtmlReportWriter.Write(SecurityReportBuilder.Build(CleanRun(), new ReportPolicy(), Now));

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("https://", html);
        Assert.Contains("<svg id=\"chart\"", html);
        Assert.Contains("class=\"bar high\" data-count=\"4\"", html);
        Assert.Contains("class=\"bar low\" data-count=\"7\"", html);
        Assert.Contains("data-kpi=\"sbom-coverage\"", html);
        Assert.Contains("<tr data-component=\"frontend\">", html);
    }

    [Fact]
    public void The_merged_SARIF_holds_every_run_and_is_valid_against_the_official_schema()
    {
        var trivy = File.ReadAllText(RepositoryPaths.Sample("trivy", "alpine-310.sarif.golden"));
        const string ours = """
            {"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"CheckManifests","rules":[{"id":"VT1101"}]}},
            "results":[{"ruleId":"VT1101","level":"error","message":{"text":"runAsNonRoot"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"components/manifests/a.yaml"},"region":{"startLine":3}}}]}]}]}
            """;

        var merged = SarifMerger.Merge([("trivy.sarif", trivy), ("manifests.sarif", ours)]);

        Assert.Empty(SchemaValidation.SarifErrors(merged));
        using var document = System.Text.Json.JsonDocument.Parse(merged);
        Assert.Equal(["Trivy", "CheckManifests"], document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString()));
    }

    [Fact]
    public void A_broken_SARIF_input_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SarifMerger.Merge([("artifacts/scans/x.sarif", "{\"version\":\"2.0.0\"}")]));
        Assert.Contains("artifacts/scans/x.sarif", error.Message);
    }
}
