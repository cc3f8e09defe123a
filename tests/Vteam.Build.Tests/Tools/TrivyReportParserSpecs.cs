using NJsonSchema;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tools.Trivy;
using Xunit;

namespace Vteam.Build.Tests.Tools;

public class TrivyReportParserSpecs
{
    private static TrivyReport Sample(string file) => TrivyReportParser.Parse(File.ReadAllText(RepositoryPaths.Sample("trivy", file)), file);

    [Fact]
    public void The_alpine_sample_gives_two_critical_findings_of_one_cve_in_two_packages()
    {
        var report = Sample("alpine-39-high-critical.json.golden");

        Assert.Equal("container_image", report.ArtifactType);
        Assert.Equal("alpine 3.9.4", report.OperatingSystem);
        Assert.True(report.EndOfLife);
        Assert.Equal(["musl", "musl-utils"], report.Vulnerabilities.Select(v => v.PackageName));
        Assert.All(report.Vulnerabilities, v => Assert.Equal(("CVE-2019-14697", Severity.Critical, "1.1.20-r5", true), (v.Id, v.Severity, v.FixedVersion, v.HasFix)));
        Assert.Equal("pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.4", report.Vulnerabilities[0].Purl);
    }

    [Fact]
    public void The_debian_ignore_unfixed_sample_parses_with_only_fixed_findings()
    {
        var report = Sample("debian-buster-ignore-unfixed.json.golden");

        Assert.NotEmpty(report.Vulnerabilities);
        Assert.All(report.Vulnerabilities, v => Assert.True(v.HasFix));
    }

    [Fact]
    public void The_secret_scanner_sample_gives_secrets_and_no_vulnerabilities()
    {
        var report = Sample("secrets.json.golden");

        Assert.Empty(report.Vulnerabilities);
        Assert.Contains(report.Secrets, s => s.RuleId == "aws-access-key-id" && s.Severity == Severity.Critical && s.Line == 3 && s.Target == "deploy.sh");
    }

    [Fact]
    public async Task The_sarif_sample_is_valid_sarif_2_1_0()
    {
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema("sarif-2.1.0.schema.json"));

        var errors = schema.Validate(await File.ReadAllTextAsync(RepositoryPaths.Sample("trivy", "alpine-310.sarif.golden")));

        Assert.Empty(errors);
    }

    [Fact]
    public void A_clean_scan_may_have_no_results_key_at_all()
    {
        var report = TrivyReportParser.Parse("""{"SchemaVersion":2,"ArtifactName":"busybox.tar","ArtifactType":"container_image","Metadata":{}}""", "clean.json");

        Assert.Empty(report.Vulnerabilities);
        Assert.Empty(report.Secrets);
        Assert.Null(report.OperatingSystem);
    }

    [Fact]
    public void Unknown_severities_and_missing_optional_fields_are_tolerated()
    {
        var report = TrivyReportParser.Parse("""
            {"SchemaVersion":2,"ArtifactName":"x","Results":[{"Target":"t","Class":"lang-pkgs","Vulnerabilities":[{"VulnerabilityID":"GHSA-1","Severity":"SOMETHING","Extra":{"a":1}}]},{"Target":"u"}]}
            """, "x.json");

        var finding = Assert.Single(report.Vulnerabilities);
        Assert.Equal((Severity.Unknown, "t", false), (finding.Severity, finding.Target, finding.HasFix));
    }

    [Theory]
    [InlineData("""{"SchemaVersion":1,"Results":[]}""", "SchemaVersion 1 is not 2")]
    [InlineData("""{"SchemaVersion":2,""", "report.json:1: trivy's report is not valid JSON")]
    [InlineData("<html>502</html>", "not valid JSON")]
    public void A_report_we_cannot_read_is_an_error_naming_the_file(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TrivyReportParser.Parse(json, "report.json"));
        Assert.Contains(expected, error.Message);
    }
}
