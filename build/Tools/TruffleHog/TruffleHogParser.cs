using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vteam.Build.Engine;

namespace Vteam.Build.Tools.TruffleHog;

public enum SecretVerification { Verified, Unknown, Unverified }

/// <summary>
/// A secret trufflehog found, as the build keeps it: never the secret itself. Raw and RawV2 stay in the
/// parser (registered with the masker); <see cref="Redacted"/> is what trufflehog marked safe, masked again.
/// </summary>
public sealed record SecretFinding(
    string Detector,
    int DetectorType,
    string Decoder,
    SecretVerification Verification,
    string? VerificationError,
    string Redacted,
    string? File,
    int? Line,
    string? Commit,
    string? Email,
    string? Repository,
    string? Timestamp,
    int SourceType,
    string Fingerprint)
{
    public string Location => File is null ? "(unknown file)" : Line is { } line ? $"{File}:{line}" : File;
}

/// <summary>Reads trufflehog --json output: one object per line, unknown fields tolerated, enums as numbers.</summary>
public static class TruffleHogParser
{
    public static IReadOnlyList<SecretFinding> Parse(string jsonLines, SecretMasker masker)
    {
        var findings = new List<SecretFinding>();
        var lines = jsonLines.Split('\n');
        // First pass: register every secret, so nothing below (or any error) can print one.
        var documents = new List<(int Line, JsonDocument Document)>();
        try
        {
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0) continue;
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(line);
                }
                catch (JsonException e)
                {
                    // The line itself may hold a secret: say where and how long, never what.
                    throw new FormatException($"trufflehog output line {i + 1} is not JSON ({line.Length} characters; {e.Message.Split('.')[0]}).");
                }
                documents.Add((i + 1, document));
                if (document.RootElement.ValueKind == JsonValueKind.Object) RegisterSecrets(document.RootElement, masker);
            }
            foreach (var (number, document) in documents)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new FormatException($"trufflehog output line {number} is JSON but not an object.");
                findings.Add(ToFinding(root, masker));
            }
        }
        finally
        {
            foreach (var (_, document) in documents) document.Dispose();
        }
        return findings;
    }

    private static void RegisterSecrets(JsonElement root, SecretMasker masker)
    {
        var raw = Str(root, "Raw");
        var rawV2 = Str(root, "RawV2");
        masker.Register(raw);
        masker.Register(rawV2);
        // RawV2 is often Raw plus the secret half (AWS: key id + secret key); the half alone is a secret too.
        if (raw is { Length: > 0 } && rawV2 is { Length: > 0 } && rawV2.StartsWith(raw, StringComparison.Ordinal))
            masker.Register(rawV2[raw.Length..].TrimStart(':'));
        if (root.TryGetProperty("SecretParts", out var parts) && parts.ValueKind == JsonValueKind.Object)
            foreach (var part in parts.EnumerateObject())
                if (part.Value.ValueKind == JsonValueKind.String) masker.Register(part.Value.GetString());
    }

    private static SecretFinding ToFinding(JsonElement root, SecretMasker masker)
    {
        var verified = root.TryGetProperty("Verified", out var v) && v.ValueKind == JsonValueKind.True;
        var error = Str(root, "VerificationError");
        var verification = verified ? SecretVerification.Verified
            : !string.IsNullOrEmpty(error) ? SecretVerification.Unknown
            : SecretVerification.Unverified;

        JsonElement metadata = default;
        var hasMetadata = root.TryGetProperty("SourceMetadata", out var sm) && sm.ValueKind == JsonValueKind.Object
            && sm.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.EnumerateObject().FirstOrDefault() is { Value.ValueKind: JsonValueKind.Object } first
            && (metadata = first.Value).ValueKind == JsonValueKind.Object;

        var detector = Str(root, "DetectorName") ?? EnumName(root, "DetectorType") ?? "unknown";
        var file = hasMetadata ? Str(metadata, "file") : null;
        var line = hasMetadata ? Int(metadata, "line") : null;
        var commit = hasMetadata ? Str(metadata, "commit") : null;
        return new SecretFinding(
            Detector: detector,
            DetectorType: Int(root, "DetectorType") ?? 0,
            Decoder: Str(root, "DecoderName") ?? EnumName(root, "DecoderType") ?? "PLAIN",
            Verification: verification,
            VerificationError: masker.Mask(error),
            Redacted: masker.Mask(Str(root, "Redacted") ?? ""),
            File: file,
            Line: line,
            Commit: commit,
            Email: hasMetadata ? Str(metadata, "email") : null,
            Repository: hasMetadata ? masker.Mask(Str(metadata, "repository")) : null,
            Timestamp: hasMetadata ? Str(metadata, "timestamp") : null,
            SourceType: Int(root, "SourceType") ?? 0,
            // Where and what kind, never the secret: a hash of a short secret could be brute-forced.
            Fingerprint: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{detector}|{file}|{line}|{commit}")))[..32]);
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static int? Int(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var i) ? i : null;

    // Older builds or other serialisers may print an enum's name instead of its number.
    private static string? EnumName(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
