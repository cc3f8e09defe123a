using Spectre.Console;

namespace Vteam.Build.Engine;

/// <summary>A terminal: Spectre.Console headers, colours, tables and the summary.</summary>
internal sealed class ConsoleHost : IBuildHost
{
    private readonly IAnsiConsole _console;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Text, DateTime At)> _status = new();

    public ConsoleHost(TextWriter? writer = null, bool? ansi = null)
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer ?? Console.Out),
            Ansi = ansi switch { true => AnsiSupport.Yes, false => AnsiSupport.No, _ => AnsiSupport.Detect },
            ColorSystem = ansi == false ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        // Log lines must stay whole (file:line is copied from them); only a real terminal gets its own width.
        _isTerminal = writer is null && !Console.IsOutputRedirected;
        if (!_isTerminal) _console.Profile.Width = 4096;
        else if (Console.WindowWidth > 0) _console.Profile.Width = Console.WindowWidth;
    }

    private readonly bool _isTerminal;

    public void Write(LogLevel level, string message)
    {
        var style = level switch
        {
            LogLevel.Error => "red",
            LogLevel.Warning => "yellow",
            LogLevel.Verbose or LogLevel.Debug => "grey",
            _ => null,
        };
        var text = Markup.Escape(level switch { LogLevel.Warning => "warning: " + message, LogLevel.Error => "error: " + message, _ => message });
        AboveLive(() => _console.MarkupLine(style is null ? text : $"[{style}]{text}[/]"));
    }

    public void Diagnostic(Diagnostic d)
    {
        var location = d.Location.Length > 0 ? d.Location + ": " : "";
        var rule = d.RuleId is null ? "" : $" [{d.RuleId}]";
        var colour = d.Severity switch { DiagnosticSeverity.Error => "red", DiagnosticSeverity.Warning => "yellow", _ => "blue" };
        AboveLive(() =>
            _console.MarkupLine($"{Markup.Escape(location)}[{colour}]{d.Severity.ToString().ToLowerInvariant()}{Markup.Escape(rule)}[/]: {Markup.Escape(d.Message)}"));
    }

    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null) table.Title(Markup.Escape(title));
        foreach (var header in headers) table.AddColumn(Markup.Escape(header));
        foreach (var row in rows) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        AboveLive(() => _console.Write(table));
    }

    // On a terminal: one live line per item at the bottom, redrawn in place; logs print above it.
    private readonly List<string> _liveKeys = [];
    private readonly Dictionary<string, string> _live = new();
    private int _liveDrawn;

    private void ClearLive()
    {
        if (_liveDrawn == 0) return;
        var output = _console.Profile.Out.Writer;
        output.Write($"\u001b[{_liveDrawn}A");
        for (var i = 0; i < _liveDrawn; i++) output.Write("\u001b[2K\n");
        output.Write($"\u001b[{_liveDrawn}A");
        _liveDrawn = 0;
    }

    private void DrawLive()
    {
        var output = _console.Profile.Out.Writer;
        var width = Math.Max(20, _console.Profile.Width - 1);
        foreach (var key in _liveKeys)
        {
            var line = $"{key}: {_live[key]}";
            output.Write("\u001b[2K" + (line.Length > width ? line[..(width - 1)] + "…" : line) + "\n");
        }
        _liveDrawn = _liveKeys.Count;
        output.Flush();
    }

    private void AboveLive(Action write)
    {
        lock (_lock)
        {
            ClearLive();
            write();
            if (_liveKeys.Count > 0) DrawLive();
        }
    }

    public void Status(string key, string text)
    {
        if (_isTerminal)
        {
            lock (_lock)
            {
                if (!_live.ContainsKey(key)) _liveKeys.Add(key);
                _live[key] = text;
                ClearLive();
                DrawLive();
            }
            return;
        }
        // Without a live region, print a status when it changes, at most once a second per item.
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            if (_status.TryGetValue(key, out var last) && (last.Text == text || now - last.At < TimeSpan.FromSeconds(1))) return;
            _status[key] = (text, now);
            _console.MarkupLine($"[grey]{Markup.Escape(key)}[/] {Markup.Escape(text)}");
        }
    }

    public void SecretRegistered(string secret) { }

    public void TargetStarted(string name)
    {
        lock (_lock)
        {
            _status.Clear();
            // A new target starts with no live lines: the last state of each stays printed above.
            _liveKeys.Clear();
            _live.Clear();
            _liveDrawn = 0;
            _console.WriteLine();
            if (_isTerminal) _console.Write(new Rule($"[bold]{Markup.Escape(name)}[/]").LeftJustified());
            else _console.MarkupLine($"[bold]═══ {Markup.Escape(name)} ═══[/]");
        }
    }

    public void TargetFinished(TargetResult result) { }

    public void Summary(IReadOnlyList<TargetResult> results, TimeSpan total, bool succeeded)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Target").AddColumn("Status").AddColumn(new TableColumn("Duration").RightAligned());
        foreach (var r in results)
        {
            var colour = r.Status switch { TargetStatus.Succeeded => "green", TargetStatus.Failed => "red", TargetStatus.Skipped => "grey", _ => "yellow" };
            table.AddRow(new Markup(Markup.Escape(r.Name)), new Markup($"[{colour}]{Markup.Escape(SummaryTable.Status(r))}[/]"), new Text(SummaryTable.Duration(r.Duration)));
        }
        table.AddEmptyRow();
        table.AddRow(new Markup("[bold]Total[/]"), new Markup(succeeded ? "[bold green]Build succeeded[/]" : "[bold red]Build failed[/]"), new Text(SummaryTable.Duration(total)));
        lock (_lock)
        {
            _console.WriteLine();
            _console.Write(table);
        }
    }

    private readonly List<string> _closing = [];

    public void ClosingLine(string line)
    {
        lock (_lock) _closing.Add(line);
    }

    public void FlushClosingLines()
    {
        lock (_lock)
        {
            foreach (var line in _closing) _console.WriteLine(line);
            _closing.Clear();
        }
    }
}
