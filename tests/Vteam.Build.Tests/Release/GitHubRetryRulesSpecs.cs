using Vteam.Build.Release;
using Xunit;

namespace Vteam.Build.Tests.Release;

public class GitHubRetryRulesSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly RetryOptions Options = new() { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(1), MaxWait = TimeSpan.FromMinutes(10) };

    private static RetryDecision Decide(int status, string? message, int attempt = 1, params (string, string)[] headers)
        => GitHubRetryRules.Decide(GitHubFailure.Of(status, headers.Select(h => KeyValuePair.Create(h.Item1, h.Item2)), message), attempt, Now, Options);

    [Fact]
    public void A_server_error_backs_off_exponentially_and_gives_up_after_the_last_attempt()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.IsType<RetryDecision.Retry>(Decide(502, null, 1)).Delay);
        Assert.Equal(TimeSpan.FromSeconds(8), Assert.IsType<RetryDecision.Retry>(Decide(503, null, 4)).Delay);
        Assert.Contains("gave up after 5 attempts", Assert.IsType<RetryDecision.GiveUp>(Decide(500, null, 5)).Reason);
    }

    [Fact]
    public void A_primary_rate_limit_waits_until_the_reset()
    {
        var reset = Now.AddSeconds(90).ToUnixTimeSeconds().ToString();

        var decision = Decide(403, "API rate limit exceeded for user ID 1.", 1, ("x-ratelimit-remaining", "0"), ("X-RateLimit-Reset", reset));

        Assert.Equal(TimeSpan.FromSeconds(91), Assert.IsType<RetryDecision.Retry>(decision).Delay);
    }

    [Fact]
    public void A_secondary_rate_limit_honours_retry_after()
    {
        var decision = Decide(403, "You have exceeded a secondary rate limit.", 1, ("Retry-After", "42"), ("x-ratelimit-remaining", "17"));

        Assert.Equal(TimeSpan.FromSeconds(42), Assert.IsType<RetryDecision.Retry>(decision).Delay);
    }

    [Fact]
    public void A_secondary_rate_limit_without_retry_after_waits_a_minute_then_longer()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Assert.IsType<RetryDecision.Retry>(Decide(403, "You have exceeded a secondary rate limit.", 1)).Delay);
        Assert.Equal(TimeSpan.FromMinutes(2), Assert.IsType<RetryDecision.Retry>(Decide(429, null, 2)).Delay);
    }

    [Fact]
    public void A_secondary_rate_limit_with_no_requests_left_waits_for_the_reset()
    {
        var reset = Now.AddSeconds(20).ToUnixTimeSeconds().ToString();

        var decision = Decide(403, "You have exceeded a secondary rate limit.", 1, ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset));

        Assert.Equal(TimeSpan.FromSeconds(21), Assert.IsType<RetryDecision.Retry>(decision).Delay);
    }

    [Fact]
    public void A_retry_after_given_as_a_date_is_understood()
    {
        var decision = Decide(503, null, 1, ("Retry-After", Now.AddSeconds(30).ToString("R")));

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<RetryDecision.Retry>(decision).Delay);
    }

    [Fact]
    public void A_wait_longer_than_allowed_gives_up_at_once_and_says_how_long()
    {
        var reset = Now.AddHours(1).ToUnixTimeSeconds().ToString();

        var decision = Decide(403, "API rate limit exceeded", 1, ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset));

        var giveUp = Assert.IsType<RetryDecision.GiveUp>(decision);
        Assert.Contains("61 min", giveUp.Reason);
        Assert.Contains("2026-12-04 22:00:00 UTC", giveUp.Reason);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public void Client_errors_are_not_retried(int status)
    {
        Assert.IsType<RetryDecision.GiveUp>(Decide(status, "nope"));
    }

    [Fact]
    public void A_403_that_is_not_a_rate_limit_is_not_retried()
    {
        Assert.IsType<RetryDecision.GiveUp>(Decide(403, "Resource not accessible by integration", 1, ("x-ratelimit-remaining", "4999")));
    }

    [Fact]
    public async Task The_policy_retries_with_the_injected_wait_and_then_returns_the_result()
    {
        var waits = new List<TimeSpan>();
        var policy = new GitHubRetryPolicy(Options, null, (span, _) => { waits.Add(span); return Task.CompletedTask; });

        var result = await policy.ExecuteAsync("do it",
            attempt => attempt < 3 ? throw new HttpRequestException("reset by peer") : Task.FromResult(attempt),
            _ => null, (e, _, _) => e, CancellationToken.None);

        Assert.Equal(3, result);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], waits);
    }
}
