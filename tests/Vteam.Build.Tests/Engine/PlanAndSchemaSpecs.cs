using System.Text.Json;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Engine;

public class PlanAndSchemaSpecs
{
    [Fact]
    public async Task Plan_prints_the_order_and_writes_a_self_contained_page_that_marks_what_would_run()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["--plan", "Test", "--skip", "Restore"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(((OrderBuild)run.Build).Journal);
        Assert.Contains(" 1. Restore — skipped: --skip Restore", run.Output);
        Assert.Contains(" 3. Test (requested)", run.Output);
        var html = await File.ReadAllTextAsync(Path.Combine(run.Root, "artifacts", "plan.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("class=\"target run requested\" data-target=\"Test\"", html);
        Assert.Contains("class=\"target skipped\" data-target=\"Restore\"", html);
        Assert.Contains("class=\"target idle\" data-target=\"Lint\"", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script src", html);
    }

    [Fact]
    public async Task Help_lists_targets_and_parameters()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["--help"], defaultTargets: ["All"]);

        GoldenFile.Verify("Engine/help.txt", run.Output);
    }

    [Fact]
    public void The_committed_build_schema_is_up_to_date()
    {
        var build = new Build();
        var graph = new TargetGraph(TargetDiscovery.Discover(build).Select(t => t.Node));
        var expected = SchemaWriter.Write(graph, ParameterDiscovery.Discover(typeof(Build)));
        var path = Path.Combine(RepositoryPaths.Root, ".nuke", "build.schema.json");

        Assert.True(File.Exists(path), ".nuke/build.schema.json is missing: run ./build.sh --help (it regenerates the schema when the build changed).");
        Assert.True(expected == File.ReadAllText(path), ".nuke/build.schema.json is stale: run ./build.sh --help to regenerate it, and commit it.");
    }

    [Fact]
    public void The_schema_describes_every_parameter_with_its_type()
    {
        var graph = new TargetGraph(TargetDiscovery.Discover(new OrderBuild()).Select(t => t.Node));
        using var schema = JsonDocument.Parse(SchemaWriter.Write(graph, ParameterDiscovery.Discover(typeof(OrderBuild))));
        var properties = schema.RootElement.GetProperty("properties");

        Assert.Equal("integer", properties.GetProperty("Count").GetProperty("type").GetString());
        Assert.Equal(["fast", "thorough"], properties.GetProperty("Mode").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("array", properties.GetProperty("Fail").GetProperty("type").GetString());
        Assert.Contains("Compile", properties.GetProperty("Skip").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("string", properties.GetProperty("Greetee").GetProperty("type").GetString());
    }
}
