using Xunit;

namespace Vteam.Build.Tests.Engine;

public class ExecutorSpecs
{
    [Fact]
    public async Task Dependencies_interface_targets_and_triggers_run_in_order()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["All", "--greetee", "world"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Restore", "Compile", "Test", "Lint", "Greet world", "All", "Report"], ((OrderBuild)run.Build).Journal);
        Assert.Contains("Build succeeded", run.Output);
    }

    [Fact]
    public async Task A_failure_stops_the_run_but_an_assured_target_still_runs()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Test", "Lint", "Report", "--fail", "Compile"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Restore", "Compile", "Report"], ((OrderBuild)run.Build).Journal);
        Assert.Contains("Compile failed: Compile broke", run.Output);
        Assert.Matches(@"Test\s+│\s+NotRun \(Compile failed\)", run.Output);
        Assert.Contains("Build failed", run.Output);
    }

    [Fact]
    public async Task With_continue_everything_the_graph_allows_still_runs_and_the_run_fails_at_the_end()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Test", "Lint", "--fail", "Compile", "--continue"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Restore", "Compile", "Lint"], ((OrderBuild)run.Build).Journal);
        Assert.Contains("NotRun (dependency Compile did not succeed)", run.Output);
    }

    [Fact]
    public async Task A_target_that_proceeds_after_failure_lets_the_next_targets_run()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Pack", "Lint", "--fail", "Pack"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Restore", "Compile", "Pack", "Lint"], ((OrderBuild)run.Build).Journal);
    }

    [Fact]
    public async Task A_dynamic_condition_skips_with_the_reason()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["PushImages"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(((OrderBuild)run.Build).Journal);
        Assert.Contains("Skipped (condition false: Push)", run.Output);
    }

    [Fact]
    public async Task A_static_condition_skips_the_target_and_the_dependencies_only_it_needs()
    {
        var skipped = await EngineHarness.RunAsync<OrderBuild>(["Publish"]);
        var run = await EngineHarness.RunAsync<OrderBuild>(["Publish", "--push"]);

        Assert.Empty(((OrderBuild)skipped.Build).Journal);
        Assert.Contains("only needed by skipped Publish", skipped.Output);
        Assert.Equal(["Lint", "Publish"], ((OrderBuild)run.Build).Journal);
    }

    [Fact]
    public async Task Skip_with_names_skips_them_and_reports_why()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Test", "--skip", "Restore"]);

        Assert.Equal(["Compile", "Test"], ((OrderBuild)run.Build).Journal);
        Assert.Contains("Skipped (--skip Restore)", run.Output);
    }

    [Fact]
    public async Task Missing_requirements_are_all_reported_before_anything_runs()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Release", "--count", "0", "--name", "forbidden"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(((OrderBuild)run.Build).Journal);
        Assert.Contains("Release requires --version (or the environment variable VERSION", run.Output);
        Assert.Contains("Release requires (Count > 0)", run.Output);
        Assert.Contains("Release: --name may not be 'forbidden': choose another name.", run.Output);
        Assert.Contains("Nothing ran: 3 requirements are not met.", run.Output);
    }

    [Fact]
    public async Task An_unknown_target_is_a_usage_error_with_a_suggestion()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Tset"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Tset'. Did you mean 'Test'?", run.Output);
    }

    [Fact]
    public async Task Cancelling_stops_the_running_target_and_kills_its_child_process()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var run = await EngineHarness.RunAsync<OrderBuild>(["Sleep", "Lint"], cancellation: cancellation.Token);

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Sleep was cancelled", run.Output);
        Assert.Contains("NotRun (cancelled)", run.Output);
        await Task.Delay(200);
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("sleep"), p => p.StartTime > DateTime.Now - started.Elapsed - TimeSpan.FromSeconds(1) && !p.HasExited && CommandLineOf(p) == "sleep\060");
    }

    private static string CommandLineOf(System.Diagnostics.Process p)
    {
        try { return File.ReadAllText($"/proc/{p.Id}/cmdline").TrimEnd('\0'); } catch (IOException) { return ""; }
    }

    [Fact]
    public async Task A_target_that_reports_an_error_fails()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Findings"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("components/backend/Dockerfile:1: error [PIN001]: Base image is not pinned", run.Output);
        Assert.Contains("Failed (1 error reported)", run.Output);
    }
}
