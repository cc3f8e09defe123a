using System.Text.Json;

namespace Vteam.Build.Tools.Syft;

/// <summary>What an SBOM that passed validation says: its packages, and which image digest it describes.</summary>
public sealed record SpdxSummary(string Name, string DescribedDigest, int Packages, string RootPackageId);

/// <summary>An SBOM that is not a usable SPDX 2.3 document, or does not describe the image it should.</summary>
public sealed class InvalidSbomException(string message) : Exception(message);

/// <summary>
/// The run-time check of an SPDX 2.3 JSON SBOM: the fields the release relies on (spdxVersion, SPDXID,
/// dataLicense, documentNamespace, creationInfo, packages, a DESCRIBES relationship) and that the described
/// root package is the image digest (syft writes it as versionInfo and as a SHA256 checksum, tool-contracts.md §6).
/// The full official schema is checked in the tests; the build cannot rely on shared/ being present.
/// </summary>
public static class SpdxValidator
{
    public static SpdxSummary Validate(string json, string file, string? expectedDigest)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid(file, $"is not JSON (line {e.LineNumber + 1}: {e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid(file, "is not a JSON object");

            var version = RequiredString(root, "spdxVersion", file);
            if (version != "SPDX-2.3") throw Invalid(file, $"has spdxVersion '{version}', expected 'SPDX-2.3' (syft -o spdx-json@2.3)");
            if (RequiredString(root, "SPDXID", file) != "SPDXRef-DOCUMENT") throw Invalid(file, "has an SPDXID other than 'SPDXRef-DOCUMENT'");
            if (RequiredString(root, "dataLicense", file) != "CC0-1.0") throw Invalid(file, "has a dataLicense other than 'CC0-1.0'");
            var name = RequiredString(root, "name", file);
            var ns = RequiredString(root, "documentNamespace", file);
            if (!Uri.TryCreate(ns, UriKind.Absolute, out _) || ns.Contains('#'))
                throw Invalid(file, $"has documentNamespace '{ns}', which is not an absolute URI without '#'");

            if (!root.TryGetProperty("creationInfo", out var creation) || creation.ValueKind != JsonValueKind.Object)
                throw Invalid(file, "has no creationInfo object");
            var created = RequiredString(creation, "created", file, "creationInfo.");
            if (!DateTimeOffset.TryParse(created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
                throw Invalid(file, $"has creationInfo.created '{created}', which is not a date-time");
            if (!creation.TryGetProperty("creators", out var creators) || creators.ValueKind != JsonValueKind.Array || creators.GetArrayLength() == 0)
                throw Invalid(file, "has no creationInfo.creators");

            if (!root.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Array || packages.GetArrayLength() == 0)
                throw Invalid(file, "has no packages");
            var ids = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var index = 0;
            foreach (var package in packages.EnumerateArray())
            {
                var where = $"packages[{index++}].";
                if (package.ValueKind != JsonValueKind.Object) throw Invalid(file, $"has {where[..^1]} that is not an object");
                var id = RequiredString(package, "SPDXID", file, where);
                RequiredString(package, "name", file, where);
                RequiredString(package, "downloadLocation", file, where);
                if (!ids.TryAdd(id, package)) throw Invalid(file, $"has the SPDXID '{id}' twice");
            }

            if (!root.TryGetProperty("relationships", out var relationships) || relationships.ValueKind != JsonValueKind.Array)
                throw Invalid(file, "has no relationships");
            var described = relationships.EnumerateArray()
                .Where(r => r.ValueKind == JsonValueKind.Object
                            && Text(r, "spdxElementId") == "SPDXRef-DOCUMENT"
                            && Text(r, "relationshipType") == "DESCRIBES")
                .Select(r => Text(r, "relatedSpdxElement"))
                .OfType<string>()
                .ToList();
            if (root.TryGetProperty("documentDescribes", out var describes) && describes.ValueKind == JsonValueKind.Array)
                described.AddRange(describes.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!));
            if (described.Count == 0) throw Invalid(file, "has no 'SPDXRef-DOCUMENT DESCRIBES …' relationship, so it names no image");
            var rootId = described[0];
            if (!ids.TryGetValue(rootId, out var rootPackage)) throw Invalid(file, $"DESCRIBES '{rootId}', which is not one of its packages");

            var digest = RootDigest(rootPackage);
            if (expectedDigest is not null)
            {
                if (digest is null)
                    throw Invalid(file, $"describes '{rootId}', which carries no image digest (versionInfo or SHA256 checksum); expected {expectedDigest}");
                if (!string.Equals(digest, expectedDigest, StringComparison.Ordinal))
                    throw Invalid(file, $"describes the image {digest}, not {expectedDigest}: it is the SBOM of another image (a stale file, or the image was pushed again)");
            }
            return new SpdxSummary(name, digest ?? "", ids.Count - described.Distinct().Count(), rootId);
        }
    }

    /// <summary>The digest syft records on the described image: versionInfo "sha256:…", else its SHA256 checksum.</summary>
    private static string? RootDigest(JsonElement package)
    {
        var versionInfo = Text(package, "versionInfo");
        if (versionInfo is not null && versionInfo.StartsWith("sha256:", StringComparison.Ordinal)) return versionInfo;
        if (package.TryGetProperty("checksums", out var checksums) && checksums.ValueKind == JsonValueKind.Array)
            foreach (var checksum in checksums.EnumerateArray())
                if (Text(checksum, "algorithm") == "SHA256" && Text(checksum, "checksumValue") is { } value)
                    return "sha256:" + value;
        return null;
    }

    private static string RequiredString(JsonElement element, string property, string file, string prefix = "")
        => Text(element, property) is { Length: > 0 } value ? value : throw Invalid(file, $"has no {prefix}{property}");

    private static string? Text(JsonElement element, string property)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static InvalidSbomException Invalid(string file, string problem)
        => new($"{file}: the SBOM {problem}. It is not a valid SPDX 2.3 SBOM of this image; delete it and run GenerateSboms again (syft -o {SyftCommands.SpdxJson23}).");
}
