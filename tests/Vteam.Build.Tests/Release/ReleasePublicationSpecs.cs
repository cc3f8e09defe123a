using Vteam.Build.Release;
using Xunit;

namespace Vteam.Build.Tests.Release;

/// <summary>PublishRelease's GitHub side, through Octokit, against the stand-in GitHub.</summary>
public class ReleasePublicationSpecs
{
    [Fact]
    public async Task I_can_publish_a_release_the_first_time()
    {
        await using var harness = await ReleaseHarness.StartAsync();

        var result = await harness.PublishAsync();

        var release = harness.Server.SingleRelease();
        Assert.Equal("v1.4.0", release.Tag);
        Assert.False(release.Draft);
        Assert.True(result.Published);
        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Order(StringComparer.Ordinal), release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal));
        AssertSameContent(harness, release);
        Assert.Contains("| backend | `quay.io/ambient_code/vteam_backend@sha256:", release.Body);
        // Octokit followed the upload_url the server gave: every upload went to the uploads host path.
        Assert.All(harness.Changes.Where(r => r.Method == "POST" && r.Path.EndsWith("/assets")), r => Assert.StartsWith("/api/uploads/", r.Path));
        Assert.Equal("SHA256SUMS", harness.Uploaded[^1]);
    }

    [Fact]
    public async Task A_re_run_with_nothing_changed_makes_no_request_that_changes_anything()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        await harness.PublishAsync();
        harness.Server.ClearLog();

        var result = await harness.PublishAsync();

        Assert.NotEmpty(harness.Server.Requests);
        Assert.Empty(harness.Changes);
        Assert.Empty(result.Done);
        Assert.All(result.Plan.Decisions, d => Assert.Equal(AssetAction.Keep, d.Action));
    }

    [Fact]
    public async Task A_re_run_after_one_asset_changed_replaces_exactly_that_asset_and_the_checksums()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        await harness.PublishAsync();
        harness.Server.ClearLog();
        harness.Workspace.Write("artifacts/sbom/backend.spdx.json", "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"backend\",\"packages\":[1]}\n");

        await harness.PublishAsync();

        var deleted = harness.Changes.Where(r => r.Method == "DELETE").ToArray();
        Assert.Equal(2, deleted.Length);
        Assert.Equal(["backend-sbom.spdx.json", "SHA256SUMS"], harness.Uploaded);
        Assert.DoesNotContain(harness.Changes, r => r.Method == "PATCH" || (r.Method == "POST" && r.AssetName is null));
        AssertSameContent(harness, harness.Server.SingleRelease());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_that_fails_after_the_second_upload_is_completed_by_the_next_run_without_duplicates(bool digests)
    {
        await using var harness = await ReleaseHarness.StartAsync();
        harness.Server.ReportDigests = digests;
        harness.Server.Faults = (request, uploads) => request.AssetName is not null && uploads > 2 ? new Fault(500, "Server Error") : null;

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => harness.PublishAsync());
        Assert.Contains("Run PublishRelease again", failure.Message);
        var interrupted = harness.Server.SingleRelease();
        Assert.True(interrupted.Draft);
        var landed = interrupted.Assets.Select(a => a.Name).ToArray();
        Assert.Equal(2, landed.Length);

        harness.Server.Faults = null;
        harness.Server.ClearLog();
        await harness.PublishAsync();

        var release = harness.Server.SingleRelease();
        Assert.False(release.Draft);
        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Order(StringComparer.Ordinal), release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Empty(harness.Uploaded.Intersect(landed));
        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Length - 2, harness.Uploaded.Length);
        Assert.DoesNotContain(harness.Server.Requests, r => r.Status == 422);
        AssertSameContent(harness, release);
    }

    [Fact]
    public async Task An_upload_whose_answer_was_lost_is_kept_not_duplicated()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        harness.Server.Faults = (request, uploads) => request.AssetName is not null && uploads == 3 ? new Fault(502, "Bad Gateway", AfterHandling: true) : null;

        await harness.PublishAsync();

        var release = harness.Server.SingleRelease();
        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Length, release.Assets.Count);
        Assert.Single(harness.Server.Requests, r => r.Status == 422);
        Assert.Single(harness.Waits);
        AssertSameContent(harness, release);
    }

    [Fact]
    public async Task A_secondary_rate_limit_is_waited_out_for_its_retry_after_then_the_run_succeeds()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        var limited = 0;
        harness.Server.Faults = (request, _) => request.AssetName is not null && limited++ == 0
            ? new Fault(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                new Dictionary<string, string> { ["Retry-After"] = "7" })
            : null;

        await harness.PublishAsync();

        Assert.Equal([TimeSpan.FromSeconds(7)], harness.Waits);
        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Length, harness.Server.SingleRelease().Assets.Count);
        Assert.Contains("secondary rate limit; retrying in 7s", harness.Output.ToString());
    }

    [Fact]
    public async Task A_429_without_retry_after_waits_a_minute_as_GitHub_advises()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        var limited = 0;
        harness.Server.Faults = (request, _) => request.Method == "POST" && limited++ == 0 ? new Fault(429, "Too Many Requests") : null;

        await harness.PublishAsync();

        Assert.Equal([TimeSpan.FromMinutes(1)], harness.Waits);
        Assert.Single(harness.Server.Releases);
    }

    [Fact]
    public async Task A_primary_rate_limit_waits_until_its_reset()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        var reset = harness.Clock.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var limited = 0;
        harness.Server.Faults = (_, _) => limited++ == 0
            ? new Fault(403, "API rate limit exceeded for user ID 1.", new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset })
            : null;

        await harness.PublishAsync();

        Assert.Equal([TimeSpan.FromSeconds(31)], harness.Waits);
    }

    [Fact]
    public async Task A_rate_limit_that_resets_later_than_the_longest_wait_fails_at_once_with_the_reset_time()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        var reset = harness.Clock.GetUtcNow().AddHours(2);
        harness.Server.Faults = (_, _) => new Fault(403, "API rate limit exceeded for user ID 1.",
            new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => harness.PublishAsync());

        Assert.Empty(harness.Waits);
        Assert.Contains($"primary rate limit exhausted until {reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", failure.Message);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task A_401_says_what_to_do_and_never_carries_the_token()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        const string wrong = "ghp_" + "WrongTokenThatMustNeverBePrinted0123";

        var failure = await Assert.ThrowsAsync<GitHubAccessException>(() => harness.PublishAsync(token: wrong));

        Assert.Equal(401, failure.Status);
        Assert.Contains("Bad credentials", failure.Message);
        Assert.Contains("GITHUB_TOKEN", failure.Message);
        Assert.Contains("ambient-code/vteam", failure.Message);
        Assert.DoesNotContain(wrong, failure.ToString());
        Assert.DoesNotContain(wrong, harness.Output.ToString());
        Assert.Empty(harness.Server.Releases);
    }

    [Fact]
    public async Task A_server_message_that_quotes_the_token_is_masked_before_it_reaches_the_error()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        const string wrong = "ghp_" + "WrongTokenThatMustNeverBePrinted0123";
        var calls = 0;
        harness.Server.Faults = (_, _) => calls++ == 0
            ? new Fault(503, $"Unavailable for {wrong}")
            : new Fault(401, $"Bad credentials: {wrong} was revoked");

        var failure = await Assert.ThrowsAsync<GitHubAccessException>(() => harness.PublishAsync(token: wrong));

        Assert.Contains("Bad credentials: *** was revoked", failure.Message);
        Assert.Contains("server error 503; retrying", harness.Output.ToString());
        Assert.DoesNotContain(wrong, failure.ToString());
        Assert.DoesNotContain(wrong, harness.Output.ToString());
    }

    [Fact]
    public async Task An_unknown_repository_is_reported_as_404_with_what_to_check()
    {
        await using var harness = await ReleaseHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<GitHubAccessException>(() => harness.PublishAsync(repository: "ambient-code/nope"));

        Assert.Equal(404, failure.Status);
        Assert.Contains("--github-repository (now ambient-code/nope)", failure.Message);
    }

    [Fact]
    public async Task A_draft_is_found_again_by_listing_releases_and_not_created_twice()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        await harness.PublishAsync(keepDraft: true);
        harness.Server.ClearLog();

        await harness.PublishAsync(keepDraft: true);

        var release = harness.Server.SingleRelease();
        Assert.True(release.Draft);
        Assert.Empty(harness.Changes);
        // GitHub does not serve drafts by tag: the stand-in answered 404 and the list found it.
        Assert.Contains(harness.Server.Requests, r => r.Path.Contains("/releases/tags/") && r.Status == 404);
    }

    [Fact]
    public async Task Without_digests_an_unchanged_release_is_recognised_through_its_SHA256SUMS()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        harness.Server.ReportDigests = false;
        await harness.PublishAsync();
        harness.Server.ClearLog();

        await harness.PublishAsync();

        Assert.Empty(harness.Changes);
        Assert.Single(harness.Server.Requests, r => r.Method == "GET" && r.Path.Contains("/releases/assets/"));
    }

    [Fact]
    public async Task Without_digests_a_changed_asset_of_the_same_size_is_still_replaced()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        harness.Server.ReportDigests = false;
        await harness.PublishAsync();
        harness.Server.ClearLog();
        var path = harness.Workspace.Root / "artifacts/security-report.md";
        var old = File.ReadAllText(path);
        File.WriteAllText(path, old.Replace("passed", "PASSED"));

        await harness.PublishAsync();

        Assert.Equal(["security-report.md", "SHA256SUMS"], harness.Uploaded);
        AssertSameContent(harness, harness.Server.SingleRelease());
    }

    [Fact]
    public async Task An_unfinished_upload_left_on_the_release_is_replaced()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        await harness.PublishAsync();
        var broken = harness.Server.SingleRelease().Assets.Single(a => a.Name == "images.json");
        broken.State = "open";
        harness.Server.ClearLog();

        await harness.PublishAsync();

        Assert.Equal(["images.json", "SHA256SUMS"], harness.Uploaded);
        Assert.Equal(RemoteAsset.Uploaded, harness.Server.SingleRelease().Assets.Single(a => a.Name == "images.json").State);
    }

    [Fact]
    public async Task A_changed_asset_on_an_immutable_release_is_refused_before_anything_changes()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        await harness.PublishAsync();
        harness.Server.SingleRelease().Immutable = true;
        harness.Server.ClearLog();
        harness.Workspace.Write("artifacts/security-report.md", "# Security report\n\nChanged.\n");

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => harness.PublishAsync());

        Assert.Contains("is immutable", failure.Message);
        Assert.Contains("security-report.md, SHA256SUMS differ", failure.Message);
        Assert.Empty(harness.Changes);
    }

    private static void AssertSameContent(ReleaseHarness harness, StandInRelease release)
    {
        var local = harness.Workspace.Prepare().Assets.ToDictionary(a => a.Name, a => a.Sha256);
        Assert.All(release.Assets, a => Assert.Equal(local[a.Name], Checksums.Sha256(a.Content)));
        Assert.Equal(release.Assets.Count, release.Assets.Select(a => a.Name).Distinct().Count());
    }
}
