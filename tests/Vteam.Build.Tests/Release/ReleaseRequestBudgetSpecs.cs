using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Vteam.Build.Tests.Release;

/// <summary>
/// How many requests each situation costs, for a release of 20 images (84 assets). The counts are
/// asserted; with RELEASE_BENCH_OUT set, the counts and wall times are also written there
/// (tests/bench/release-requests.sh prints them).
/// </summary>
public class ReleaseRequestBudgetSpecs
{
    private const int Images = 20;

    [Fact]
    public async Task Each_situation_costs_a_fixed_number_of_requests()
    {
        var figures = new List<string>();
        await using (var harness = await ReleaseHarness.StartAsync(components: Images))
        {
            var assets = harness.Workspace.Prepare().Assets.Count;
            Assert.Equal(Images * 4 + 4, assets);

            Assert.Equal(assets + 6, await Measure(harness, "first publish (digests)", figures, () => harness.PublishAsync()));
            Assert.Equal(2, await Measure(harness, "re-run, nothing changed (digests)", figures, () => harness.PublishAsync()));
            harness.Workspace.Write("artifacts/security-report.md", "# Security report\n\nChanged.\n");
            Assert.Equal(7, await Measure(harness, "re-run, one asset changed (digests)", figures, () => harness.PublishAsync()));
        }
        await using (var harness = await ReleaseHarness.StartAsync(components: Images))
        {
            harness.Server.ReportDigests = false;
            var assets = harness.Workspace.Prepare().Assets.Count;
            Assert.Equal(assets + 6, await Measure(harness, "first publish (no digests)", figures, () => harness.PublishAsync()));
            Assert.Equal(3, await Measure(harness, "re-run, nothing changed (no digests: SHA256SUMS read)", figures, () => harness.PublishAsync()));
        }

        if (Environment.GetEnvironmentVariable("RELEASE_BENCH_OUT") is { Length: > 0 } output)
            File.WriteAllLines(output, figures);
    }

    private static async Task<int> Measure(ReleaseHarness harness, string situation, List<string> figures, Func<Task> run)
    {
        harness.Server.ClearLog();
        var clock = Stopwatch.StartNew();
        await run();
        var elapsed = clock.Elapsed;
        var requests = harness.Server.Requests;
        figures.Add(string.Create(CultureInfo.InvariantCulture,
            $"{situation,-55} requests={requests.Count,3} changing={requests.Count(r => r.ChangesSomething),3} wall={elapsed.TotalMilliseconds,7:0} ms"));
        return requests.Count;
    }
}
