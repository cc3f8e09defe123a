using System.Text.Json;
using Vteam.Build.Reporting.Sarif;
using Xunit;

namespace Vteam.Build.Tests.Reporting.Sarif;

public class SarifLogBuilderSpecs
{
    private static SarifLog SampleLog() => new SarifLogBuilder("demo-tool", "1.2.3", "https://example.test/demo")
        .AddRule("R1", "first-rule", "The first rule", "Do the first thing.", SarifLevel.Error, SarifPropertyBag.WithTags("security"))
        .AddRule("R2", "second-rule", "The second rule")
        .AddResult("R2", SarifLevel.Warning, "A finding at a line", "dir with space/file.yaml", 12)
        .AddResult("R1", SarifLevel.Error, "A finding about a file", "other.yaml")
        .AddResult("R9", SarifLevel.Note, "A finding about nothing in particular")
        .Build("file:///repo/");

    [Fact]
    public void The_log_I_build_is_valid_SARIF_2_1_0()
    {
        var json = SarifWriter.Serialize(SampleLog());

        SarifSchema.AssertValid(json);
    }

    [Fact]
    public void A_result_names_its_rule_by_index_and_its_place_by_relative_uri_and_line()
    {
        using var json = JsonDocument.Parse(SarifWriter.Serialize(SampleLog()));
        var run = json.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results");

        var first = results[0];
        Assert.Equal("R2", first.GetProperty("ruleId").GetString());
        Assert.Equal(1, first.GetProperty("ruleIndex").GetInt32());
        Assert.Equal("warning", first.GetProperty("level").GetString());
        var location = first.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("dir%20with%20space/file.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(12, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.False(results[1].GetProperty("locations")[0].GetProperty("physicalLocation").TryGetProperty("region", out _));
        Assert.False(results[2].TryGetProperty("ruleIndex", out _));
        Assert.Equal("error", run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0].GetProperty("defaultConfiguration").GetProperty("level").GetString());
    }

    [Fact]
    public void A_rule_added_twice_is_refused()
    {
        var builder = new SarifLogBuilder("t").AddRule("R1", "a", "A");

        Assert.Throws<ArgumentException>(() => builder.AddRule("R1", "b", "B"));
    }

    [Fact]
    public void The_schema_check_can_fail()
    {
        // A level SARIF does not know: proves the validation in these tests is real.
        var json = SarifWriter.Serialize(SampleLog()).Replace("\"warning\"", "\"loud\"");

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SarifSchema.AssertValid(json));
    }
}
