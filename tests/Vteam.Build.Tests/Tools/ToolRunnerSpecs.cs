using System.Diagnostics;
using CliWrap;
using Vteam.Build.Engine;
using Vteam.Build.Tools;
using Xunit;

namespace Vteam.Build.Tests.Tools;

/// <summary>The one runner, against the real fake process (never a mocked process).</summary>
public class ToolRunnerSpecs
{
    private static ToolInvocation Trivy(string script, TimeSpan timeout, IReadOnlyDictionary<string, string>? secrets = null, params string[] args)
        => new("trivy", Cli.Wrap(script).WithArguments(args.Length > 0 ? args : ["image", "--input", "/nonexistent.tar"]), timeout,
            Vteam.Build.Tools.Trivy.TrivyCommands.ExitCodes, secrets);

    [Fact]
    public async Task A_hanging_tool_is_killed_at_its_timeout_with_a_clear_message()
    {
        var script = FakeToolbox.Script("trivy", new Dictionary<string, string> { ["FAKE_TRIVY_MODE"] = "hang" });
        var runner = new ToolRunner(new SecretMasker());
        var marker = $"/hang-{Guid.NewGuid():N}.tar";
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ToolTimeoutException>(() => runner.RunAsync(Trivy(script, TimeSpan.FromSeconds(3), null, "image", "--input", marker), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20));
        Assert.Contains("trivy did not finish within 3s and was killed", error.Message);
        Assert.Contains("waiting for something that never comes", error.Message);
        Assert.DoesNotContain(Directory.GetDirectories("/proc").Select(CommandLineOf), c => c.Contains(marker));
    }

    [Fact]
    public async Task A_crash_is_reported_with_the_exit_code_and_the_last_stderr_lines()
    {
        var script = FakeToolbox.Script("trivy", new Dictionary<string, string> { ["FAKE_TRIVY_MODE"] = "crash" });

        var error = await Assert.ThrowsAsync<ToolFailedException>(() => new ToolRunner(new SecretMasker()).RunAsync(Trivy(script, TimeSpan.FromMinutes(1)), CancellationToken.None));

        Assert.Contains("trivy failed with exit code 2", error.Message);
        Assert.Contains("panic: runtime error: invalid memory address", error.Message);
        Assert.Contains("goroutine 1 [running]", error.Message);
    }

    [Fact]
    public async Task A_fatal_error_is_exit_1_and_findings_are_the_chosen_exit_code()
    {
        var runner = new ToolRunner(new SecretMasker());

        var fatal = await Assert.ThrowsAsync<ToolFailedException>(() => runner.RunAsync(Trivy(FakeToolbox.PathOf("trivy"), TimeSpan.FromMinutes(1), null, "image", "--bogus"), CancellationToken.None));

        Assert.Contains("exit code 1: fatal error", fatal.Message);
        Assert.Contains("unknown flag: --bogus", fatal.Message);
    }

    [Fact]
    public async Task Stdout_and_stderr_are_kept_apart()
    {
        var result = await new ToolRunner(new SecretMasker()).RunAsync(Trivy(FakeToolbox.PathOf("trivy"), TimeSpan.FromMinutes(1), null, "--version", "--format", "json"), CancellationToken.None);

        Assert.Equal("{\"Version\":\"0.74.0\"}", result.StandardOutput.Trim());
        Assert.Equal("", result.StandardError);
        Assert.False(result.FoundSomething);
    }

    [Fact]
    public async Task A_secret_passed_by_environment_is_registered_and_masked_in_every_echo()
    {
        var masker = new SecretMasker();
        using var log = new Tools.CapturedLog(masker);

        // A tool that prints its credentials on stderr, as a crashing tool might.
        var leaky = FakeToolbox.Script("trivy");
        File.WriteAllText(leaky, "#!/bin/sh\necho \"auth failed for $TRIVY_USERNAME:$TRIVY_PASSWORD\" >&2\nexit 1\n");
        var error = await Assert.ThrowsAsync<ToolFailedException>(() => new ToolRunner(masker).RunAsync(
            Trivy(leaky, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["TRIVY_USERNAME"] = "robot", ["TRIVY_PASSWORD"] = "hunter2-registry-pw" }),
            CancellationToken.None));

        Assert.Contains("auth failed for ***:***", error.Message);
        Assert.DoesNotContain("hunter2-registry-pw", error.Message);
        Assert.DoesNotContain("hunter2-registry-pw", log.Text);
        Assert.Contains("auth failed for ***:***", log.Text);
    }

    [Fact]
    public async Task Cancellation_stops_the_tool_and_is_not_reported_as_a_timeout()
    {
        var script = FakeToolbox.Script("trivy", new Dictionary<string, string> { ["FAKE_TRIVY_MODE"] = "hang" });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ToolRunner(new SecretMasker()).RunAsync(Trivy(script, TimeSpan.FromMinutes(5)), cancellation.Token));
    }

    private static string CommandLineOf(string procDirectory)
    {
        try { return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
