using Vteam.Build.Engine;

namespace Vteam.Build.Tests.Containers;

/// <summary>Captures what a target logs: lines, findings and tables.</summary>
internal sealed class CapturedOutput : IBuildOutput
{
    public List<string> Lines { get; } = [];
    public List<Diagnostic> Diagnostics { get; } = [];
    public List<(string? Title, IReadOnlyList<IReadOnlyList<string>> Rows)> Tables { get; } = [];

    public void Write(LogLevel level, string message) { lock (Lines) Lines.Add($"{level}: {message}"); }
    public void Diagnostic(Diagnostic diagnostic) { lock (Diagnostics) Diagnostics.Add(diagnostic); }
    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows) { lock (Tables) Tables.Add((title, rows)); }
    public void Status(string key, string text) { }
}
