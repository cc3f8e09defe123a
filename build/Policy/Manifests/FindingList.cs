using Vteam.Build.Engine;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Collects findings, once per rule and line (a pod-level field shared by containers is one finding).</summary>
internal sealed class FindingList
{
    private readonly List<ManifestFinding> _findings = [];
    private readonly HashSet<(string, string?, int?)> _seen = [];

    public IReadOnlyList<ManifestFinding> Items => _findings;

    public void Add(ManifestRule rule, string message, string? file, int? line, DiagnosticSeverity? severity = null)
    {
        if (_seen.Add((rule.Id, file, line)))
            _findings.Add(new ManifestFinding(rule, severity ?? rule.Severity, message, file, line));
    }

    public void Add(ManifestRule rule, string message, ManifestObject at, int line, DiagnosticSeverity? severity = null)
        => Add(rule, message, at.File, line, severity);
}
