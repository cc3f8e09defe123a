namespace Vteam.Build.Engine;

public enum LogLevel { Verbose, Debug, Information, Warning, Error }

/// <summary>Where a run writes. Hosts (console, GitHub Actions) and tests implement it.</summary>
public interface IBuildOutput
{
    void Write(LogLevel level, string message);
    void Diagnostic(Diagnostic diagnostic);
    void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows);
    /// <summary>A live status line for one item (an image being built); hosts without live output print changes.</summary>
    void Status(string key, string text);
}
