using System.Collections.Concurrent;
using System.Diagnostics;
using Vteam.Build.Engine;

namespace Vteam.Build.Tests.Images;

/// <summary>Records what a run writes (messages, diagnostics, status lines with their time) for assertions.</summary>
internal sealed class CapturedOutput : IBuildOutput
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ConcurrentQueue<(LogLevel Level, string Message)> Messages { get; } = new();
    public ConcurrentQueue<Diagnostic> Diagnostics { get; } = new();
    public ConcurrentQueue<(TimeSpan At, string Key, string Text)> Statuses { get; } = new();

    public void Write(LogLevel level, string message) => Messages.Enqueue((level, message));
    public void Diagnostic(Diagnostic diagnostic) => Diagnostics.Enqueue(diagnostic);
    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
        => Messages.Enqueue((LogLevel.Information, $"{title}: {string.Join(" | ", rows.Select(r => string.Join(", ", r)))}"));
    public void Status(string key, string text) => Statuses.Enqueue((_clock.Elapsed, key, text));

    /// <summary>Routes the static Log of the calling flow here until disposed.</summary>
    public IDisposable Capture(bool verbose = false) => Log.Push(this, new SecretMasker(), null, verbose);
}
