using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vteam.Build.Tools.Cosign;

/// <summary>One entry of `cosign verify -o json`: a simple-signing payload (legacy) or one rebuilt from a v3 bundle.</summary>
public sealed record CosignVerifiedEntry(string Type, string? DockerReference, string? ManifestDigest, IReadOnlyDictionary<string, string> Optional)
{
    /// <summary>§6: in bundle mode verify also lists attestations; only these two types are image signatures.</summary>
    public bool IsImageSignature => Type is CosignCommands.LegacySignatureType or CosignCommands.BundleSignatureType;
}

/// <summary>One in-toto statement that `cosign verify-attestation` verified.</summary>
public sealed record CosignVerifiedStatement(string PredicateType, IReadOnlyList<string> SubjectSha256);

/// <summary>The verdict on one image: did it verify, and why not.</summary>
public sealed record CosignVerdict(bool Verified, string Detail, string? Identity = null, string? Issuer = null);

/// <summary>Reading what cosign prints (tool-contracts.md §3 "What verify prints", §6), in the v2 and v3 shapes.</summary>
public static partial class CosignOutput
{
    /// <summary>The version from `cosign version` ("GitVersion:    v3.1.2").</summary>
    public static ToolVersion ParseVersion(string output)
    {
        var match = GitVersion().Match(output);
        if (!match.Success || !ToolVersion.TryParse(match.Groups[1].Value, out var version))
            throw new FormatException($"`cosign version` printed no 'GitVersion: vX.Y.Z' line. Output began: {First(output, 200)}");
        return version;
    }

    /// <summary>Entries of `cosign verify -o json` stdout: blank lines skipped, the line starting with '[' parsed.</summary>
    public static IReadOnlyList<CosignVerifiedEntry> ParseVerify(string stdout)
    {
        var line = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('['));
        // Pretty-printed arrays (as in the keyless test sample) span lines: fall back to the whole text from '['.
        var json = line is not null && line.EndsWith(']') ? line : stdout[Math.Max(0, stdout.IndexOf('['))..];
        if (!json.TrimStart().StartsWith('[')) throw new FormatException($"cosign verify printed no JSON array on stdout. It printed: {First(stdout, 200)}");
        using var document = JsonDocument.Parse(json);
        var entries = new List<CosignVerifiedEntry>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var critical = entry.TryGetProperty("critical", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var optional = new Dictionary<string, string>(StringComparer.Ordinal);
            if (entry.TryGetProperty("optional", out var o) && o.ValueKind == JsonValueKind.Object)
                foreach (var property in o.EnumerateObject())
                    optional[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            entries.Add(new CosignVerifiedEntry(
                Text(critical, "type") ?? "",
                Text(Child(critical, "identity"), "docker-reference"),
                Text(Child(critical, "image"), "docker-manifest-digest"),
                optional));
        }
        return entries;
    }

    /// <summary>Signed means: at least one image-signature entry for exactly this digest.</summary>
    public static CosignVerdict CheckSignatures(IReadOnlyList<CosignVerifiedEntry> entries, string expectedDigest)
    {
        var signatures = entries.Where(e => e.IsImageSignature).ToList();
        if (signatures.Count == 0)
            return new CosignVerdict(false, entries.Count == 0
                ? "cosign verified nothing"
                : $"cosign verified {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}, but none is an image signature (types: {string.Join(", ", entries.Select(e => e.Type).Distinct())}); an attestation alone does not sign an image");
        var matching = signatures.Where(e => e.ManifestDigest == expectedDigest).ToList();
        if (matching.Count == 0)
            return new CosignVerdict(false, $"the verified signatures are for {string.Join(", ", signatures.Select(s => s.ManifestDigest).Distinct())}, not {expectedDigest}");
        var first = matching[0];
        return new CosignVerdict(true, $"{matching.Count} signature(s) for {expectedDigest}",
            first.Optional.GetValueOrDefault("Subject"), first.Optional.GetValueOrDefault("Issuer"));
    }

    /// <summary>Statements of `cosign verify-attestation` stdout: one DSSE envelope per line, payload = base64 in-toto statement.</summary>
    public static IReadOnlyList<CosignVerifiedStatement> ParseVerifyAttestation(string stdout)
    {
        var statements = new List<CosignVerifiedStatement>();
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('{')) continue;
            using var envelope = JsonDocument.Parse(line);
            var payload = Text(envelope.RootElement, "payload")
                ?? throw new FormatException("cosign verify-attestation printed an envelope without a payload.");
            using var statement = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var subjects = new List<string>();
            if (statement.RootElement.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.Array)
                foreach (var s in subject.EnumerateArray())
                    if (Text(Child(s, "digest"), "sha256") is { } sha) subjects.Add("sha256:" + sha);
            statements.Add(new CosignVerifiedStatement(Text(statement.RootElement, "predicateType") ?? "", subjects));
        }
        return statements;
    }

    /// <summary>Attested means: a verified statement of this predicate type whose subject is exactly this digest.</summary>
    public static CosignVerdict CheckAttestation(IReadOnlyList<CosignVerifiedStatement> statements, string type, string expectedDigest)
    {
        var predicateType = CosignCommands.PredicateTypes[type];
        var ofType = statements.Where(s => s.PredicateType == predicateType).ToList();
        if (ofType.Count == 0)
            return new CosignVerdict(false, statements.Count == 0
                ? $"cosign verified no {type} attestation"
                : $"cosign verified attestations of other types ({string.Join(", ", statements.Select(s => s.PredicateType).Distinct())}), none {predicateType}");
        return ofType.Any(s => s.SubjectSha256.Contains(expectedDigest))
            ? new CosignVerdict(true, $"{type} attestation for {expectedDigest}")
            : new CosignVerdict(false, $"the {type} attestation is about {string.Join(", ", ofType.SelectMany(s => s.SubjectSha256).Distinct())}, not {expectedDigest}");
    }

    private static JsonElement Child(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string First(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    [GeneratedRegex(@"^\s*GitVersion:\s*(v?\d+\.\d+\.\d+\S*)", RegexOptions.Multiline)]
    private static partial Regex GitVersion();
}
