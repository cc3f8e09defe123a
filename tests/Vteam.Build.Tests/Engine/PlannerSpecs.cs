using Vteam.Build.Engine;
using Xunit;

namespace Vteam.Build.Tests.Engine;

public class PlannerSpecs
{
    private static TargetGraph Graph(params TargetNode[] nodes) => new(nodes);

    private static string[] Order(ExecutionPlan plan) => plan.Targets.Select(t => t.Name).ToArray();

    [Fact]
    public void Dependencies_run_before_the_target_that_needs_them_in_declaration_order()
    {
        var graph = Graph(
            new TargetNode("Restore"),
            new TargetNode("Compile", DependsOn: ["Restore"]),
            new TargetNode("Pack", DependsOn: ["Compile"]),
            new TargetNode("Test", DependsOn: ["Compile"]));

        var plan = ExecutionPlanner.Plan(graph, new PlanRequest(["Test", "Pack"]));

        Assert.Equal(["Restore", "Compile", "Test", "Pack"], Order(plan));
        Assert.True(plan.Find("Test")!.Requested);
        Assert.False(plan.Find("Compile")!.Requested);
    }

    [Fact]
    public void After_and_Before_order_targets_without_scheduling_them()
    {
        var graph = Graph(
            new TargetNode("Clean", Before: ["Restore"]),
            new TargetNode("Restore"),
            new TargetNode("Report", After: ["Scan"]),
            new TargetNode("Scan"));

        Assert.Equal(["Restore"], Order(ExecutionPlanner.Plan(graph, new PlanRequest(["Restore"]))));
        Assert.Equal(["Clean", "Restore"], Order(ExecutionPlanner.Plan(graph, new PlanRequest(["Restore", "Clean"]))));
        Assert.Equal(["Scan", "Report"], Order(ExecutionPlanner.Plan(graph, new PlanRequest(["Report", "Scan"]))));
    }

    [Fact]
    public void A_triggered_target_is_scheduled_after_the_target_that_triggers_it()
    {
        var graph = Graph(
            new TargetNode("Build", Triggers: ["Notify"]),
            new TargetNode("Notify"));

        Assert.Equal(["Build", "Notify"], Order(ExecutionPlanner.Plan(graph, new PlanRequest(["Build"]))));
    }

    [Fact]
    public void Skip_without_names_skips_every_target_that_was_not_requested()
    {
        var graph = Graph(new TargetNode("A"), new TargetNode("B", DependsOn: ["A"]), new TargetNode("C", DependsOn: ["B"]));

        var plan = ExecutionPlanner.Plan(graph, new PlanRequest(["C"], Skip: []));

        Assert.True(plan.Find("A")!.Skipped);
        Assert.True(plan.Find("B")!.Skipped);
        Assert.False(plan.Find("C")!.Skipped);
    }

    [Fact]
    public void Skipping_a_target_skips_the_dependencies_only_it_needs()
    {
        var graph = Graph(
            new TargetNode("Shared"),
            new TargetNode("InstallCosign"),
            new TargetNode("Sign", DependsOn: ["Shared", "InstallCosign"]),
            new TargetNode("Scan", DependsOn: ["Shared"]),
            new TargetNode("Secure", DependsOn: ["Sign", "Scan"]));

        var plan = ExecutionPlanner.Plan(graph, new PlanRequest(["Secure"], Skip: ["sign"]));

        Assert.Equal("--skip Sign", plan.Find("Sign")!.SkipReason);
        Assert.Contains("only needed by skipped Sign", plan.Find("InstallCosign")!.SkipReason);
        Assert.False(plan.Find("Shared")!.Skipped);
        Assert.False(plan.Find("Scan")!.Skipped);
    }

    [Fact]
    public void A_static_condition_that_is_false_skips_with_its_reason()
    {
        var graph = Graph(new TargetNode("Push"), new TargetNode("Release", DependsOn: ["Push"]));

        var plan = ExecutionPlanner.Plan(graph, new PlanRequest(["Release"], StaticallySkipped: new Dictionary<string, string> { ["Release"] = "condition false: Publish" }));

        Assert.Equal("condition false: Publish", plan.Find("Release")!.SkipReason);
        Assert.True(plan.Find("Push")!.Skipped);
    }

    [Fact]
    public void An_unknown_target_suggests_the_nearest_name()
    {
        var graph = Graph(new TargetNode("BuildImages"), new TargetNode("Secure"));

        var error = Assert.Throws<BuildConfigurationException>(() => ExecutionPlanner.Plan(graph, new PlanRequest(["BiuldImages"])));

        Assert.Equal("Unknown target 'BiuldImages'. Did you mean 'BuildImages'?", error.Message);
    }

    [Fact]
    public void A_cycle_is_an_error_that_names_it()
    {
        var graph = Graph(
            new TargetNode("A", DependsOn: ["C"]),
            new TargetNode("B", DependsOn: ["A"]),
            new TargetNode("C", After: ["B"]),
            new TargetNode("D"));

        var error = Assert.Throws<BuildConfigurationException>(() => ExecutionPlanner.Plan(graph, new PlanRequest(["D"])));

        Assert.Contains("cycle", error.Message);
        Assert.Contains("A → B → C → A", error.Message);
    }

    [Fact]
    public void Target_names_are_matched_without_regard_to_case()
    {
        var graph = Graph(new TargetNode("Secure"));
        Assert.Equal(["Secure"], Order(ExecutionPlanner.Plan(graph, new PlanRequest(["secure"]))));
    }

    [Fact]
    public void A_reference_to_a_missing_target_is_an_error()
    {
        var error = Assert.Throws<BuildConfigurationException>(() => Graph(new TargetNode("A", DependsOn: ["Nope"])));
        Assert.Contains("'Nope'", error.Message);
    }
}
