using Vteam.Build.Engine;
using Vteam.Build.Reporting.Sarif;

namespace Vteam.Build.Policy.Manifests;

/// <summary>The check's findings as a SARIF log, every rule of the catalogue listed with its plan section.</summary>
public static class ManifestSarif
{
    public const string ToolName = "vteam-check-manifests";
    /// <summary>Not a hardening rule: a manifest the check could not read.</summary>
    public const string UnreadableRuleId = "VT0001";

    public static SarifLog Build(ManifestCheckReport report, string? toolVersion = null)
    {
        var builder = new SarifLogBuilder(ToolName, toolVersion);
        foreach (var rule in ManifestRules.All)
        {
            var properties = SarifPropertyBag.WithTags("security", "kubernetes", $"plan-{rule.PlanSection}");
            properties["planSection"] = rule.PlanSection;
            builder.AddRule(rule.Id, rule.Name, rule.Title, rule.Help, Level(rule.Severity), properties);
        }
        foreach (var finding in report.Findings)
            builder.AddResult(finding.RuleId, Level(finding.Severity), finding.Message, finding.File, finding.Line);
        return builder.Build();
    }

    public static SarifLog Unreadable(ManifestFormatException error) => new SarifLogBuilder(ToolName)
        .AddRule(UnreadableRuleId, "manifest-readable", "Every manifest is valid Kubernetes YAML", defaultLevel: SarifLevel.Error)
        .AddResult(UnreadableRuleId, SarifLevel.Error, error.Message, error.File, error.Line)
        .Build();

    public static SarifLevel Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => SarifLevel.Error,
        DiagnosticSeverity.Warning => SarifLevel.Warning,
        _ => SarifLevel.Note,
    };
}
