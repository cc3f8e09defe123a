using Vteam.Build.Engine;

namespace Vteam.Build.Policy.Manifests;

/// <summary>A hardening rule: a stable id (VT + plan section + number), the plan section it enforces.</summary>
public sealed record ManifestRule(string Id, string Name, string PlanSection, DiagnosticSeverity Severity, string Title, string Help);

/// <summary>One rule broken at one place. Messages name objects and fields, never a Secret's value.</summary>
public sealed record ManifestFinding(ManifestRule Rule, DiagnosticSeverity Severity, string Message, string? File, int? Line)
{
    public string RuleId => Rule.Id;

    public Diagnostic ToDiagnostic() => new(Severity, $"{Message} [{Rule.Id} {Rule.Name}, plan {Rule.PlanSection}]", File, Line, Rule.Id);

    public override string ToString() => $"{File}:{Line}: {Severity} {Rule.Id}: {Message}";
}
