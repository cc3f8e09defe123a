using System.Globalization;
using Vteam.Build.Engine;

namespace Vteam.Build.Release;

/// <summary>An HTTP failure as GitHub answered it: status, headers (case-insensitive) and the error message.</summary>
public sealed record GitHubFailure(int Status, IReadOnlyDictionary<string, string> Headers, string? Message)
{
    public static GitHubFailure Of(int status, IEnumerable<KeyValuePair<string, string>>? headers, string? message)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in headers ?? []) map[key] = value;
        return new GitHubFailure(status, map, message);
    }

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

public abstract record RetryDecision(string Reason)
{
    public sealed record Retry(TimeSpan Delay, string Reason) : RetryDecision(Reason);
    public sealed record GiveUp(string Reason) : RetryDecision(Reason);
}

public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest single wait; a rate limit that resets later fails at once with the reset time.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>GitHub's advice when a secondary rate limit says nothing about when to come back.</summary>
    public TimeSpan SecondaryLimitDelay { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// When to try a GitHub request again, following GitHub's guidance on rate limits: a primary limit
/// (403/429 with x-ratelimit-remaining 0) waits for x-ratelimit-reset; a secondary limit (403/429
/// naming it, or with retry-after) waits retry-after seconds, else until the reset, else a minute and
/// exponentially longer; 5xx back off exponentially. Other statuses are not retried.
/// </summary>
public static class GitHubRetryRules
{
    public static RetryDecision Decide(GitHubFailure failure, int attempt, DateTimeOffset now, RetryOptions options)
    {
        var status = failure.Status;
        var remaining = failure.Header("x-ratelimit-remaining");
        var reset = ParseReset(failure.Header("x-ratelimit-reset"));
        var retryAfter = ParseRetryAfter(failure.Header("retry-after"), now);
        var secondary = failure.Message?.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase) == true
                        || failure.Message?.Contains("abuse", StringComparison.OrdinalIgnoreCase) == true;

        if (status is 403 or 429)
        {
            if (!secondary && retryAfter is null && remaining == "0" && reset is not null)
                return Wait(Max(reset.Value - now, TimeSpan.Zero) + TimeSpan.FromSeconds(1),
                    $"primary rate limit exhausted until {reset.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
            if (secondary || retryAfter is not null || status == 429)
            {
                var delay = retryAfter
                            ?? (remaining == "0" && reset is not null ? Max(reset.Value - now, TimeSpan.Zero) + TimeSpan.FromSeconds(1) : (TimeSpan?)null)
                            ?? options.SecondaryLimitDelay * Math.Pow(2, attempt - 1);
                return Wait(delay, "secondary rate limit");
            }
            return new RetryDecision.GiveUp($"{status}: access denied");
        }

        if (status is >= 500 and <= 599)
            return Wait(retryAfter ?? options.BaseDelay * Math.Pow(2, attempt - 1), $"server error {status}");

        return new RetryDecision.GiveUp($"{status} is not retried");

        RetryDecision Wait(TimeSpan delay, string reason)
        {
            if (attempt >= options.MaxAttempts)
                return new RetryDecision.GiveUp($"{reason}; gave up after {attempt} attempts");
            if (delay > options.MaxWait)
                return new RetryDecision.GiveUp($"{reason}; the wait of {Describe(delay)} is longer than the longest wait allowed ({Describe(options.MaxWait)}). Run again later");
            return new RetryDecision.Retry(delay, reason);
        }
    }

    /// <summary>A network failure or timeout: worth another try with the 5xx back-off.</summary>
    public static RetryDecision DecideTransient(string what, int attempt, RetryOptions options)
        => attempt >= options.MaxAttempts
            ? new RetryDecision.GiveUp($"{what}; gave up after {attempt} attempts")
            : new RetryDecision.Retry(options.BaseDelay * Math.Pow(2, attempt - 1), what);

    public static string Describe(TimeSpan span) => span.TotalSeconds < 120
        ? $"{Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s"
        : $"{Math.Ceiling(span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset? ParseReset(string? value)
        => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Max(at - now, TimeSpan.Zero)
            : null;
    }
}

/// <summary>Runs one GitHub operation with <see cref="GitHubRetryRules"/>; the clock and the wait are injectable.</summary>
public sealed class GitHubRetryPolicy(RetryOptions? options = null, TimeProvider? time = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    public RetryOptions Options { get; } = options ?? new RetryOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? ((span, ct) => Task.Delay(span, ct));

    /// <param name="operation">What is being done, for messages ("upload images.json").</param>
    /// <param name="action">The attempt; receives its number, from 1.</param>
    /// <param name="classify">The HTTP failure behind an exception, or null when it is not one.</param>
    /// <param name="fail">Turns the last failure into the exception the caller sees.</param>
    public async Task<T> ExecuteAsync<T>(
        string operation,
        Func<int, Task<T>> action,
        Func<Exception, GitHubFailure?> classify,
        Func<Exception, GitHubFailure?, string, Exception> fail,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await action(attempt);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = classify(e);
                var decision = failure is not null
                    ? GitHubRetryRules.Decide(failure, attempt, _time.GetUtcNow(), Options)
                    : e is HttpRequestException or TimeoutException or OperationCanceledException or IOException
                        ? GitHubRetryRules.DecideTransient(e is OperationCanceledException ? "timed out" : "network error", attempt, Options)
                        : null;
                if (decision is not RetryDecision.Retry retry)
                    throw fail(e, failure, decision?.Reason ?? e.GetType().Name);
                Log.Warning($"GitHub: {operation}: {retry.Reason}; retrying in {GitHubRetryRules.Describe(retry.Delay)} (attempt {attempt + 1} of {Options.MaxAttempts}).");
                await _delay(retry.Delay, cancellationToken);
            }
        }
    }
}
