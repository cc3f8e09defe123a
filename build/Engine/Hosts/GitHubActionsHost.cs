namespace Vteam.Build.Engine;

/// <summary>
/// GitHub Actions: a log group per target, findings as ::error/::warning annotations, secrets announced
/// with ::add-mask::, and the summary table appended to $GITHUB_STEP_SUMMARY.
/// </summary>
internal sealed class GitHubActionsHost(TextWriter writer, string? stepSummaryPath, string workspace) : IBuildHost
{
    private readonly Lock _lock = new();
    private readonly PlainTextOutput _plain = new(writer);
    private bool _inGroup;

    public void Write(LogLevel level, string message) => _plain.Write(level, message);

    public void Diagnostic(Diagnostic d)
    {
        var command = d.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "notice" };
        var properties = new List<string>();
        if (d.File is not null) properties.Add($"file={EscapeProperty(RelativeToWorkspace(d.File))}");
        if (d.Line is not null) properties.Add($"line={d.Line}");
        if (d.Column is not null) properties.Add($"col={d.Column}");
        if (d.RuleId is not null) properties.Add($"title={EscapeProperty(d.RuleId)}");
        lock (_lock) writer.WriteLine($"::{command}{(properties.Count > 0 ? " " + string.Join(",", properties) : "")}::{EscapeData(d.Message)}");
    }

    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows) => _plain.Table(title, headers, rows);
    public void Status(string key, string text) => _plain.Status(key, text);

    public void SecretRegistered(string secret)
    {
        // The runner hides this command line and masks the value everywhere after it.
        lock (_lock) writer.WriteLine($"::add-mask::{EscapeData(secret)}");
    }

    public void TargetStarted(string name)
    {
        lock (_lock)
        {
            if (_inGroup) writer.WriteLine("::endgroup::");
            writer.WriteLine($"::group::{EscapeData(name)}");
            _inGroup = true;
        }
    }

    public void TargetFinished(TargetResult result)
    {
        lock (_lock)
        {
            if (_inGroup) writer.WriteLine("::endgroup::");
            _inGroup = false;
        }
    }

    public void Summary(IReadOnlyList<TargetResult> results, TimeSpan total, bool succeeded)
    {
        var markdown = SummaryTable.Markdown(results, total, succeeded);
        lock (_lock)
        {
            writer.WriteLine();
            _plain.Table(null, ["Target", "Status", "Duration"],
                results.Select(r => (IReadOnlyList<string>)[r.Name, SummaryTable.Status(r), SummaryTable.Duration(r.Duration)])
                    .Append(["Total", succeeded ? "Build succeeded" : "Build failed", SummaryTable.Duration(total)]).ToArray());
        }
        if (!string.IsNullOrEmpty(stepSummaryPath))
            File.AppendAllText(stepSummaryPath, "### Build summary\n\n" + markdown + "\n");
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
            foreach (var line in _closing) writer.WriteLine(line);
            _closing.Clear();
        }
    }

    private string RelativeToWorkspace(string file)
        => Path.IsPathFullyQualified(file) && file.StartsWith(workspace, StringComparison.Ordinal)
            ? Path.GetRelativePath(workspace, file).Replace('\\', '/')
            : file;

    // Workflow command escaping, as the runner decodes it.
    public static string EscapeData(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    public static string EscapeProperty(string value) => EscapeData(value).Replace(":", "%3A").Replace(",", "%2C");
}
