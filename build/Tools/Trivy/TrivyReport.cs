using System.Text.Json;

namespace Vteam.Build.Tools.Trivy;

public enum Severity { Unknown, Low, Medium, High, Critical }

/// <summary>One vulnerability of one package in one result of a trivy report.</summary>
public sealed record VulnerabilityFinding(
    string Id,
    string PackageName,
    string InstalledVersion,
    string? FixedVersion,
    string? Status,
    Severity Severity,
    string Target,
    string? PackageId = null,
    string? Purl = null,
    string? PackagePath = null,
    string? Title = null,
    string? PrimaryUrl = null)
{
    /// <summary>Trivy's own rule: "fixed" status, or a fixed version known.</summary>
    public bool HasFix => Status == "fixed" || (Status is null && !string.IsNullOrEmpty(FixedVersion));

    /// <summary>One package version hit by one CVE counts once, however often trivy lists it.</summary>
    public string Key => $"{Id}|{PackageId ?? PackageName + "@" + InstalledVersion}|{PackagePath ?? Target}";
}

/// <summary>A secret trivy's secret scanner found inside an image (Match is already asterisked by trivy).</summary>
public sealed record ImageSecretFinding(string RuleId, string Title, Severity Severity, string Target, int? Line);

/// <summary>The parts of a trivy JSON report (SchemaVersion 2) the build uses.</summary>
public sealed record TrivyReport(
    string ArtifactName,
    string? ArtifactType,
    string? TrivyVersion,
    string? OperatingSystem,
    bool EndOfLife,
    IReadOnlyList<VulnerabilityFinding> Vulnerabilities,
    IReadOnlyList<ImageSecretFinding> Secrets);

/// <summary>Reads trivy's --format json output. Results, and every array in them, may be absent.</summary>
public static class TrivyReportParser
{
    public static TrivyReport Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}:{(e.LineNumber ?? 0) + 1}: trivy's report is not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: trivy's report is not a JSON object.");
            var schema = Int(root, "SchemaVersion");
            if (schema != 2)
                throw new FormatException($"{source}: trivy report SchemaVersion {schema?.ToString() ?? "(missing)"} is not 2. Use trivy ≥ 0.20 or update TrivyReportParser.");

            var vulnerabilities = new List<VulnerabilityFinding>();
            var secrets = new List<ImageSecretFinding>();
            if (root.TryGetProperty("Results", out var results) && results.ValueKind == JsonValueKind.Array)
            {
                foreach (var result in results.EnumerateArray())
                {
                    var target = Str(result, "Target") ?? "";
                    if (result.TryGetProperty("Vulnerabilities", out var vulns) && vulns.ValueKind == JsonValueKind.Array)
                        foreach (var v in vulns.EnumerateArray())
                            vulnerabilities.Add(new VulnerabilityFinding(
                                Id: Str(v, "VulnerabilityID") ?? throw new FormatException($"{source}: a vulnerability in '{target}' has no VulnerabilityID."),
                                PackageName: Str(v, "PkgName") ?? "",
                                InstalledVersion: Str(v, "InstalledVersion") ?? "",
                                FixedVersion: Str(v, "FixedVersion"),
                                Status: Str(v, "Status"),
                                Severity: ParseSeverity(Str(v, "Severity")),
                                Target: target,
                                PackageId: Str(v, "PkgID"),
                                Purl: v.TryGetProperty("PkgIdentifier", out var id) && id.ValueKind == JsonValueKind.Object ? Str(id, "PURL") : null,
                                PackagePath: Str(v, "PkgPath"),
                                Title: Str(v, "Title"),
                                PrimaryUrl: Str(v, "PrimaryURL")));
                    if (result.TryGetProperty("Secrets", out var found) && found.ValueKind == JsonValueKind.Array)
                        foreach (var s in found.EnumerateArray())
                            secrets.Add(new ImageSecretFinding(Str(s, "RuleID") ?? "", Str(s, "Title") ?? "", ParseSeverity(Str(s, "Severity")), target, Int(s, "StartLine")));
                }
            }
            string? os = null;
            var eol = false;
            if (root.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("OS", out var osElement) && osElement.ValueKind == JsonValueKind.Object)
            {
                os = $"{Str(osElement, "Family")} {Str(osElement, "Name")}".Trim();
                eol = osElement.TryGetProperty("EOSL", out var eosl) && eosl.ValueKind == JsonValueKind.True;
            }
            var version = root.TryGetProperty("Trivy", out var trivy) && trivy.ValueKind == JsonValueKind.Object ? Str(trivy, "Version") : null;
            return new TrivyReport(Str(root, "ArtifactName") ?? "", Str(root, "ArtifactType"), version, os, eol, vulnerabilities, secrets);
        }
    }

    public static Severity ParseSeverity(string? value) => value?.ToUpperInvariant() switch
    {
        "CRITICAL" => Severity.Critical,
        "HIGH" => Severity.High,
        "MEDIUM" => Severity.Medium,
        "LOW" => Severity.Low,
        _ => Severity.Unknown,
    };

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static int? Int(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var i) ? i : null;
}
