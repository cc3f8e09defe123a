namespace Vteam.Build.Engine;

public enum DiagnosticSeverity { Note, Warning, Error }

/// <summary>A finding a target reports: what, where, and which rule.</summary>
public sealed record Diagnostic(
    DiagnosticSeverity Severity,
    string Message,
    string? File = null,
    int? Line = null,
    string? RuleId = null,
    int? Column = null)
{
    public string Location => File is null ? "" : Line is null ? File : Column is null ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}
