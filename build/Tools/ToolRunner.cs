using System.Diagnostics;
using System.Text;
using CliWrap;
using Vteam.Build.Engine;

namespace Vteam.Build.Tools;

/// <summary>
/// The one way a tool runs: with a timeout and cancellation, stdout and stderr kept apart, stderr
/// echoed (masked) to the verbose log, exit codes read per tool, a hang killed at the timeout, and a
/// failure reported with the tool's last stderr lines.
/// </summary>
public sealed class ToolRunner(SecretMasker masker)
{
    public const int StderrTailLines = 20;

    public SecretMasker Masker { get; } = masker;

    public async Task<ToolResult> RunAsync(ToolInvocation invocation, CancellationToken cancellation)
    {
        foreach (var value in invocation.SecretEnvironment?.Values ?? [])
            Masker.Register(value);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var tail = new Queue<string>();
        var tailLock = new Lock();

        var command = invocation.CommandWithSecrets()
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.Merge(
                PipeTarget.ToStringBuilder(stderr),
                PipeTarget.ToDelegate(line =>
                {
                    lock (tailLock)
                    {
                        tail.Enqueue(line);
                        if (tail.Count > StderrTailLines) tail.Dequeue();
                    }
                    Log.Verbose($"[{invocation.Tool}] {Masker.Mask(line)}");
                })));

        Log.Verbose($"> {Masker.Mask(invocation.Describe())}");
        using var timeout = new CancellationTokenSource(invocation.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        var clock = Stopwatch.StartNew();
        CommandResult result;
        try
        {
            // CliWrap kills the process (and its children) when the token fires.
            result = await command.ExecuteAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new ToolTimeoutException(Masker.Mask(
                $"{invocation.Tool} did not finish within {Format(invocation.Timeout)} and was killed. " +
                $"Command: {invocation.Describe()}.{TailText(tail, tailLock)} " +
                $"Raise the tool's timeout parameter, or check what it waits for (network, registry, a prompt on stdin)."));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolFailedException(Masker.Mask(
                $"{invocation.Tool} could not be started ({e.Message}): {invocation.Command.TargetFilePath}. Check the path and that it is executable."), e);
        }

        var outcome = new ToolResult(invocation.Tool, result.ExitCode, invocation.ExitCodes.Findings.Contains(result.ExitCode),
            stdout.ToString(), stderr.ToString(), clock.Elapsed);
        if (!invocation.ExitCodes.IsSuccess(result.ExitCode))
            throw new ToolFailedException(Masker.Mask(
                $"{invocation.Tool} failed with {invocation.ExitCodes.Describe(result.ExitCode)}. Command: {invocation.Describe()}.{TailText(tail, tailLock)}"));
        return outcome;
    }

    /// <summary>A failure message for output a tool printed but we cannot read, with its last stderr lines.</summary>
    public string Unreadable(ToolResult result, string what, string detail)
        => Masker.Mask($"{result.Tool} exited with {result.ExitCode} but its {what} could not be read: {detail}.{TailText(LastLines(result.StandardError), new Lock())}");

    internal static IEnumerable<string> LastLines(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).TakeLast(StderrTailLines);

    private static string TailText(IEnumerable<string> tail, Lock tailLock)
    {
        string[] lines;
        lock (tailLock) lines = tail.ToArray();
        return lines.Length == 0
            ? " It printed nothing on stderr."
            : $" Last stderr lines:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}";
    }

    private static string Format(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#}s" : $"{span.TotalMinutes:0.#}m";
}
