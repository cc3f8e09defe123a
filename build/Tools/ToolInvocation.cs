using CliWrap;

namespace Vteam.Build.Tools;

/// <summary>How a tool's exit codes read: which mean success, which mean "ran fine and found something".</summary>
public sealed record ToolExitCodes(IReadOnlySet<int> Success, IReadOnlySet<int> Findings, IReadOnlyDictionary<int, string> Meanings)
{
    public static ToolExitCodes Of(int[] success, int[]? findings = null, IReadOnlyDictionary<int, string>? meanings = null)
        => new(success.ToHashSet(), (findings ?? []).ToHashSet(), meanings ?? new Dictionary<int, string>());

    public bool IsSuccess(int code) => Success.Contains(code) || Findings.Contains(code);
    public string Describe(int code) => Meanings.TryGetValue(code, out var meaning) ? $"exit code {code}: {meaning}" : $"exit code {code}";
}

/// <summary>
/// One run of a tool, fully described before anything runs: the CliWrap command (arguments and
/// environment, built by a pure factory), how long it may take, and how its exit codes read.
/// Secrets go in <see cref="SecretEnvironment"/>: passed to the process, registered with the masker, never in argv.
/// </summary>
public sealed record ToolInvocation(
    string Tool,
    Command Command,
    TimeSpan Timeout,
    ToolExitCodes ExitCodes,
    IReadOnlyDictionary<string, string>? SecretEnvironment = null)
{
    /// <summary>The command with the secret environment applied; only the runner calls this.</summary>
    internal Command CommandWithSecrets()
        => SecretEnvironment is { Count: > 0 } secrets
            ? Command.WithEnvironmentVariables(e => { foreach (var (k, v) in secrets) e.Set(k, v); })
            : Command;

    /// <summary>The command line for logs: arguments only, never environment values.</summary>
    public string Describe() => $"{Tool} {Command.Arguments}";
}

/// <summary>What a tool run produced. <see cref="StandardOutput"/> is raw (a scanner's findings may hold secrets): hand it to a parser, never to a log.</summary>
public sealed record ToolResult(
    string Tool,
    int ExitCode,
    bool FoundSomething,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration);

/// <summary>A tool failed: crashed, exited with an error code, hung, or printed what we cannot read. The message is masked.</summary>
public class ToolFailedException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ToolTimeoutException(string message) : ToolFailedException(message);
