namespace Vteam.Build.Engine;

/// <summary>
/// Output of work that runs in the background on behalf of a later target (an image's scan started
/// while images still build). It is held, masked, and replayed under the target that joins the work,
/// so its lines print under that target's header and its findings count for that target.
/// </summary>
public sealed class LogRecording : IBuildOutput
{
    private readonly List<Action> _entries = [];
    private int _replayed;

    public void Write(LogLevel level, string message) => Add(() => Log.Write(level, message));
    public void Diagnostic(Diagnostic diagnostic) => Add(() => Log.Report(diagnostic));
    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows) => Add(() => Log.Table(title, headers, rows));
    public void Status(string key, string text) { }

    private void Add(Action entry)
    {
        lock (_entries) _entries.Add(entry);
    }

    /// <summary>Replays the recording into the current log, once.</summary>
    public void Replay()
    {
        if (Interlocked.Exchange(ref _replayed, 1) == 1) return;
        Action[] entries;
        lock (_entries) entries = _entries.ToArray();
        foreach (var entry in entries) entry();
    }
}
