namespace Vteam.Build.Engine;

/// <summary>
/// The ambient log of the running target (Nuke uses Serilog's static Log the same way). Every message
/// passes through the run's <see cref="SecretMasker"/> before it reaches the host.
/// </summary>
public static class Log
{
    private static readonly AsyncLocal<LogScope?> Current = new();

    internal sealed record LogScope(IBuildOutput Output, SecretMasker Masker, Action<Diagnostic>? OnDiagnostic, bool Verbose);

    internal static IDisposable Push(IBuildOutput output, SecretMasker masker, Action<Diagnostic>? onDiagnostic = null, bool verbose = false)
    {
        var previous = Current.Value;
        Current.Value = new LogScope(output, masker, onDiagnostic, verbose);
        return new Restore(() => Current.Value = previous);
    }

    /// <summary>Sends this async flow's output into a recording (see <see cref="LogRecording"/>) until disposed.</summary>
    public static IDisposable Record(LogRecording recording)
    {
        var scope = Current.Value ?? Fallback;
        return Push(recording, scope.Masker, null, scope.Verbose);
    }

    public static bool IsVerbose => Current.Value?.Verbose ?? false;
    public static SecretMasker Masker => Current.Value?.Masker ?? Fallback.Masker;

    public static void Verbose(string message) => Write(LogLevel.Verbose, message);
    public static void Debug(string message) => Write(LogLevel.Debug, message);
    public static void Information(string message) => Write(LogLevel.Information, message);
    public static void Warning(string message) => Write(LogLevel.Warning, message);
    public static void Error(string message) => Write(LogLevel.Error, message);

    public static void Write(LogLevel level, string message)
    {
        var scope = Current.Value ?? Fallback;
        if (level == LogLevel.Verbose && !scope.Verbose) return;
        scope.Output.Write(level, scope.Masker.Mask(message));
    }

    /// <summary>Reports a finding: printed by the host, annotated on CI, and counted in the summary.</summary>
    public static void Report(Diagnostic diagnostic)
    {
        var scope = Current.Value ?? Fallback;
        var masked = diagnostic with { Message = scope.Masker.Mask(diagnostic.Message) };
        scope.OnDiagnostic?.Invoke(masked);
        scope.Output.Diagnostic(masked);
    }

    public static void Report(DiagnosticSeverity severity, string message, string? file = null, int? line = null, string? ruleId = null)
        => Report(new Diagnostic(severity, message, file, line, ruleId));

    public static void Table(string? title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var scope = Current.Value ?? Fallback;
        var masked = rows.Select(r => (IReadOnlyList<string>)r.Select(scope.Masker.Mask).ToArray()).ToArray();
        scope.Output.Table(title is null ? null : scope.Masker.Mask(title), headers, masked);
    }

    /// <summary>A line the run prints last, after the summary (e.g. the Test target's counts).</summary>
    public static void ClosingLine(string line)
    {
        var scope = Current.Value ?? Fallback;
        var masked = scope.Masker.Mask(line);
        if (scope.Output is IBuildHost host) host.ClosingLine(masked);
        else scope.Output.Write(LogLevel.Information, masked);
    }

    public static void Status(string key, string text)
    {
        var scope = Current.Value ?? Fallback;
        scope.Output.Status(key, scope.Masker.Mask(text));
    }

    private static readonly LogScope Fallback = new(new PlainTextOutput(Console.Out), new SecretMasker(), null, false);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
