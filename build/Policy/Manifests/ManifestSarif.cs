using Vteam.Build.Engine;
using Vteam.Build.Reporting.Sarif;

namespace Vteam.Build.Policy.Manifests;

/// <summary>The check's findings as a SARIF log, every rule of the catalogue listed with its plan section.</summary>
public static class ManifestSarif
{
    public const string ToolName = "vteam-check-manifests";

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

    public static SarifLevel Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => SarifLevel.Error,
        DiagnosticSeverity.Warning => SarifLevel.Warning,
        _ => SarifLevel.Note,
    };
}
