using System.Text.RegularExpressions;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Engine;

public class GitHubActionsHostSpecs
{
    private static string Normalise(string text) => Regex.Replace(text, @"\d+\.\d s", "0.0 s");

    [Fact]
    public async Task A_run_on_Actions_groups_targets_annotates_findings_and_writes_the_step_summary()
    {
        var summary = Path.GetTempFileName();
        var run = await EngineHarness.RunAsync<OrderBuild>(["Findings", "Lint", "--continue"], new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["API_TOKEN"] = "s3cr3t-value-1234",
        });

        Assert.Equal(1, run.ExitCode);
        GoldenFile.Verify("Engine/github-actions-run.txt", Normalise(run.Output));
        GoldenFile.Verify("Engine/github-actions-step-summary.md", Normalise(await File.ReadAllTextAsync(summary)));
    }

    [Theory]
    [InlineData("50%, done\nnext", "50%25, done%0Anext")]
    [InlineData("a\r\nb", "a%0D%0Ab")]
    public void Messages_are_escaped_as_the_runner_decodes_them(string message, string escaped)
        => Assert.Equal(escaped, GitHubActionsHost.EscapeData(message));

    [Fact]
    public void Properties_also_escape_colons_and_commas()
        => Assert.Equal("a%3Ab%2Cc", GitHubActionsHost.EscapeProperty("a:b,c"));
}
