using Vteam.Build.Engine;
using Xunit;

namespace Vteam.Build.Tests.Engine;

public class SecretMaskingSpecs
{
    private const string Token = "tok_3f9a8b7c6d5e4f3a2b1c";

    [Fact]
    public async Task A_secret_from_the_environment_never_appears_in_logs_findings_or_exception_messages()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Leak"], new Dictionary<string, string> { ["API_TOKEN"] = Token });

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(Token, run.Output);
        Assert.Contains("the token is ***", run.Output);
        Assert.Contains("found *** in a file", run.Output);
        Assert.Contains("Leak failed: request with *** failed", run.Output);
    }

    [Fact]
    public async Task Help_shows_that_a_secret_is_set_but_not_its_value()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["--help"], new Dictionary<string, string> { ["API_TOKEN"] = Token });

        Assert.DoesNotContain(Token, run.Output);
        Assert.Contains("secret; current: *** (environment)", run.Output);
    }

    [Fact]
    public async Task A_secret_on_the_command_line_is_masked_and_warned_about()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Leak", "--api-token", Token]);

        Assert.DoesNotContain(Token, run.Output);
        Assert.Contains("pass it as the environment variable API_TOKEN", run.Output);
    }

    [Fact]
    public async Task A_malformed_secret_value_is_not_echoed_in_the_error()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Leak", "--api-token", Token, "extra"]);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Token, run.Output);
    }

    [Fact]
    public async Task On_GitHub_Actions_the_secret_is_announced_only_through_add_mask()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Leak"], new Dictionary<string, string> { ["API_TOKEN"] = Token, ["GITHUB_ACTIONS"] = "true" });

        var lines = run.Output.Split('\n').Where(l => l.Contains(Token)).ToArray();
        Assert.Equal([$"::add-mask::{Token}"], lines);
    }

    [Fact]
    public void The_masker_masks_the_longest_secret_first_and_each_line_of_a_key()
    {
        var masker = new SecretMasker();
        masker.Register("abcd1234");
        masker.Register("abcd1234-and-more");
        masker.Register("-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG9w0B\n-----END KEY-----\n");

        Assert.Equal("x *** y", masker.Mask("x abcd1234-and-more y"));
        Assert.Equal("line: ***", masker.Mask("line: MIIBVwIBADANBgkqhkiG9w0B"));
    }
}
