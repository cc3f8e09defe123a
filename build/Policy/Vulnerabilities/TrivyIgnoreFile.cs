using System.Globalization;
using Vteam.Build.Tools.Trivy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Vulnerabilities;

/// <summary>One entry of .trivyignore.yaml's <c>vulnerabilities:</c> list.</summary>
public sealed record IgnoreEntry(
    string Id,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> Purls,
    string? Statement,
    DateOnly? ExpiredAt,
    string File,
    int Line)
{
    /// <summary>Trivy applies an ignore only before its expired_at date; from that day on it counts again.</summary>
    public bool IsExpired(DateOnly today) => ExpiredAt is { } expiry && today >= expiry;

    public bool Matches(VulnerabilityFinding finding)
    {
        if (!string.Equals(Id, finding.Id, StringComparison.Ordinal)) return false;
        if (Paths.Count > 0 && !Paths.Any(p => PathMatches(p, finding.PackagePath ?? finding.Target))) return false;
        if (Purls.Count > 0 && !Purls.Any(p => PurlMatches(p, finding.Purl))) return false;
        return true;
    }

    private static bool PathMatches(string pattern, string path)
        => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, path, ignoreCase: false);

    // "pkg:deb/debian/libssl1.1" matches any version and qualifiers of that package.
    private static bool PurlMatches(string pattern, string? purl)
        => purl is not null && (purl == pattern || purl.StartsWith(pattern + "@", StringComparison.Ordinal) || purl.StartsWith(pattern + "?", StringComparison.Ordinal));
}

/// <summary>Trivy's own ignore file (.trivyignore.yaml), read with line numbers for diagnostics.</summary>
public sealed record TrivyIgnoreFile(string Path, IReadOnlyList<IgnoreEntry> Vulnerabilities)
{
    public static TrivyIgnoreFile Load(string path) => Parse(File.ReadAllText(path), path);

    public static TrivyIgnoreFile Parse(string yaml, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}: not valid YAML ({e.Message}). Fix the ignore file.", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new TrivyIgnoreFile(path, []);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Error(path, stream.Documents[0].RootNode, "the top level must be a mapping with vulnerabilities:, secrets:, misconfigurations:, licenses:");

        var entries = new List<IgnoreEntry>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            if (key is "misconfigurations" or "secrets" or "licenses") continue;
            if (key != "vulnerabilities")
                throw Error(path, keyNode, $"unknown section '{key}' (trivy knows vulnerabilities, misconfigurations, secrets, licenses)");
            if (value is YamlScalarNode { Value: null or "" }) continue;
            if (value is not YamlSequenceNode list) throw Error(path, value, "vulnerabilities: must be a list of entries with an id");
            foreach (var item in list)
                entries.Add(ReadEntry(path, item));
        }
        return new TrivyIgnoreFile(path, entries);
    }

    private static IgnoreEntry ReadEntry(string path, YamlNode node)
    {
        if (node is not YamlMappingNode map) throw Error(path, node, "each ignore entry must be a mapping with id:");
        string? id = null, statement = null;
        DateOnly? expiredAt = null;
        List<string> paths = [], purls = [];
        foreach (var (keyNode, value) in map.Children)
        {
            switch (((YamlScalarNode)keyNode).Value)
            {
                case "id": id = Scalar(path, value); break;
                case "statement": statement = Scalar(path, value); break;
                case "paths": paths = List(path, value); break;
                case "purls": purls = List(path, value); break;
                case "expired_at":
                    var text = Scalar(path, value);
                    // Trivy reads a date (2024-12-31); a full timestamp is accepted too.
                    if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        expiredAt = date;
                    else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp))
                        expiredAt = DateOnly.FromDateTime(stamp.UtcDateTime);
                    else throw Error(path, value, $"expired_at '{text}' is not a date like 2025-12-31");
                    break;
                case var other: throw Error(path, keyNode, $"unknown key '{other}' (trivy knows id, paths, purls, statement, expired_at)");
            }
        }
        if (string.IsNullOrWhiteSpace(id)) throw Error(path, node, "an ignore entry has no id");
        return new IgnoreEntry(id, paths, purls, statement, expiredAt, path, (int)node.Start.Line);
    }

    private static string Scalar(string path, YamlNode node)
        => node is YamlScalarNode scalar ? scalar.Value ?? "" : throw Error(path, node, "expected a single value");

    private static List<string> List(string path, YamlNode node)
        => node is YamlSequenceNode list ? list.Select(n => Scalar(path, n)).ToList() : throw Error(path, node, "expected a list");

    private static FormatException Error(string path, YamlNode node, string message)
        => new($"{path}:{node.Start.Line}: {message}. See https://trivy.dev/latest/docs/configuration/filtering/#trivyignoreyaml");
}
