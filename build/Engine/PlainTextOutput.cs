namespace Vteam.Build.Engine;

/// <summary>Plain text output: used when nothing richer is set up, and by tests that capture output.</summary>
public sealed class PlainTextOutput(TextWriter writer) : IBuildOutput
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _status = new();

    public void Write(LogLevel level, string message)
    {
        lock (_lock) writer.WriteLine(level switch
        {
            LogLevel.Warning => $"WARNING: {message}",
            LogLevel.Error => $"ERROR: {message}",
            _ => message,
        });
    }

    public void Diagnostic(Diagnostic diagnostic)
    {
        var location = diagnostic.Location.Length > 0 ? diagnostic.Location + ": " : "";
        var rule = diagnostic.RuleId is null ? "" : $" [{diagnostic.RuleId}]";
        lock (_lock) writer.WriteLine($"{location}{diagnostic.Severity.ToString().ToLowerInvariant()}{rule}: {diagnostic.Message}");
    }

    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        lock (_lock)
        {
            if (title is not null) writer.WriteLine(title);
            var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
            writer.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
            foreach (var row in rows)
                writer.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(i < widths.Length ? widths[i] : 0))).TrimEnd());
        }
    }

    public void Status(string key, string text)
    {
        lock (_lock)
        {
            if (_status.TryGetValue(key, out var previous) && previous == text) return;
            _status[key] = text;
            writer.WriteLine($"[{key}] {text}");
        }
    }
}
