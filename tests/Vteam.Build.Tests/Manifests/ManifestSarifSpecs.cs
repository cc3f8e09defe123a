using System.Text.Json;
using Vteam.Build.Policy.Manifests;
using Vteam.Build.Reporting.Sarif;
using Vteam.Build.Tests.Reporting.Sarif;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

public class ManifestSarifSpecs
{
    [Fact]
    public void The_SARIF_log_of_the_shipped_manifests_is_valid_and_lists_every_rule_with_its_plan_section()
    {
        var report = ShippedManifests.Copy().Check(new ManifestCheckOptions { Release = true });

        var json = SarifWriter.Serialize(ManifestSarif.Build(report));

        SarifSchema.AssertValid(json);
        using var document = JsonDocument.Parse(json);
        var run = document.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToArray();
        Assert.Equal(ManifestRules.All.Select(r => r.Id), rules.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rules, r => Assert.Matches(@"^\d\.\d$", r.GetProperty("properties").GetProperty("planSection").GetString()));
        var results = run.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(report.Findings.Count, results.Length);
        Assert.All(results, r => Assert.Equal("error", r.GetProperty("level").GetString()));
    }

    [Fact]
    public void Each_result_points_at_the_finding_s_file_and_line()
    {
        var copy = ShippedManifests.Copy().PinImages();
        copy.Write("base/frontend.yaml", copy.Read("base/frontend.yaml").Replace("runAsUser: 1001", "runAsUser: 0"));
        var report = copy.Check();

        using var document = JsonDocument.Parse(SarifWriter.Serialize(ManifestSarif.Build(report)));

        var result = Assert.Single(document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        var finding = Assert.Single(report.Findings);
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("VT1102", result.GetProperty("ruleId").GetString());
        Assert.Equal(ManifestRules.All.ToList().FindIndex(r => r.Id == "VT1102"), result.GetProperty("ruleIndex").GetInt32());
        Assert.Equal("components/manifests/base/frontend.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(finding.Line, location.GetProperty("region").GetProperty("startLine").GetInt32());
    }
}
