using System.Text.Json;
using System.Text.Json.Nodes;
using Vteam.Build.Engine;
using Vteam.Build.Tools.TruffleHog;

namespace Vteam.Build.Policy.Secrets;

/// <summary>
/// The SARIF 2.1.0 log of a secret scan, written by us from the parsed findings (trufflehog's own
/// --sarif would carry the raw secret). Every text passes through the masker once more.
/// </summary>
public static class SecretSarif
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static JsonObject Build(IReadOnlyList<SecretFinding> findings, SecretPolicy policy, string? toolVersion, SecretMasker masker)
    {
        var detectors = findings.Select(f => f.Detector).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rules = new JsonArray();
        foreach (var detector in detectors)
            rules.Add(new JsonObject
            {
                ["id"] = SecretGate.RulePrefix + detector,
                ["name"] = $"{Pascal(detector)}Secret",
                ["shortDescription"] = new JsonObject { ["text"] = $"{detector} secret committed to the repository" },
                ["helpUri"] = "https://github.com/trufflesecurity/trufflehog",
                ["properties"] = new JsonObject { ["tags"] = new JsonArray("security", "secret") },
            });

        var results = new JsonArray();
        foreach (var finding in findings)
        {
            var level = SecretGate.ToSeverity(policy.For(finding.Verification)) switch
            {
                DiagnosticSeverity.Error => "error",
                DiagnosticSeverity.Warning => "warning",
                DiagnosticSeverity.Note => "note",
                _ => "none",
            };
            var result = new JsonObject
            {
                ["ruleId"] = SecretGate.RulePrefix + finding.Detector,
                ["ruleIndex"] = detectors.IndexOf(finding.Detector),
                ["level"] = level,
                ["message"] = new JsonObject { ["text"] = masker.Mask(SecretGate.Describe(finding)) },
                ["partialFingerprints"] = new JsonObject { ["secretLocation/v1"] = finding.Fingerprint },
                ["properties"] = new JsonObject
                {
                    ["verification"] = finding.Verification.ToString().ToLowerInvariant(),
                    ["decoder"] = finding.Decoder,
                },
            };
            if (finding.Commit is not null) result["properties"]!["commit"] = finding.Commit;
            if (finding.File is not null)
            {
                var physical = new JsonObject
                {
                    ["artifactLocation"] = new JsonObject { ["uri"] = finding.File.Replace('\\', '/'), ["uriBaseId"] = "SRCROOT" },
                };
                if (finding.Line is > 0) physical["region"] = new JsonObject { ["startLine"] = finding.Line };
                result["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical });
            }
            results.Add(result);
        }

        var driver = new JsonObject
        {
            ["name"] = "TruffleHog",
            ["informationUri"] = "https://github.com/trufflesecurity/trufflehog",
            ["rules"] = rules,
        };
        if (toolVersion is not null) driver["version"] = toolVersion;
        return new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = driver },
                ["results"] = results,
            }),
        };
    }

    public static string Serialize(JsonObject log, SecretMasker masker)
        => masker.Mask(log.ToJsonString(new JsonSerializerOptions { WriteIndented = true })) + "\n";

    private static string Pascal(string text)
        => string.Concat(text.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
