using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Null-tolerant navigation of the YAML representation model, with 1-based line numbers.</summary>
public static class YamlNodes
{
    public static int Line(this YamlNode node) => (int)node.Start.Line;

    public static YamlNode? Get(this YamlMappingNode? map, string key)
    {
        if (map is null) return null;
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode { Value: var name } && name == key)
                return v;
        return null;
    }

    public static YamlScalarNode? GetKey(this YamlMappingNode? map, string key)
    {
        if (map is null) return null;
        foreach (var k in map.Children.Keys)
            if (k is YamlScalarNode { Value: var name } scalar && name == key)
                return scalar;
        return null;
    }

    public static YamlMappingNode? GetMap(this YamlMappingNode? map, string key) => map.Get(key) as YamlMappingNode;
    public static YamlSequenceNode? GetSeq(this YamlMappingNode? map, string key) => map.Get(key) as YamlSequenceNode;

    /// <summary>The scalar's text; null for a missing key, a YAML null or a non-scalar.</summary>
    public static string? GetString(this YamlMappingNode? map, string key)
        => map.Get(key) is YamlScalarNode { Value: var v } s && !IsNull(s) ? v : null;

    /// <summary>true/false for a boolean scalar, null when the key is missing or not a boolean.</summary>
    public static bool? GetBool(this YamlMappingNode? map, string key) => (map.Get(key) as YamlScalarNode)?.AsBool();

    /// <summary>
    /// A plain scalar read as Kubernetes reads it (sigs.k8s.io/yaml follows YAML 1.1, so yes/on are
    /// true too); null for anything else, quoted text included.
    /// </summary>
    public static bool? AsBool(this YamlScalarNode scalar)
        => scalar.Style != YamlDotNet.Core.ScalarStyle.Plain ? null : scalar.Value switch
        {
            "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" => true,
            "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" => false,
            _ => null,
        };

    /// <summary>A plain integer scalar, else null.</summary>
    public static long? AsLong(this YamlScalarNode scalar)
        => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && long.TryParse(scalar.Value, out var n) ? n : null;

    /// <summary>The line of the key, or of the map itself when the key is absent.</summary>
    public static int KeyLine(this YamlMappingNode map, string key) => map.GetKey(key)?.Line() ?? map.Line();

    /// <summary>The scalar items of a sequence, each with its line; non-scalars are skipped.</summary>
    public static IEnumerable<YamlScalarNode> Scalars(this YamlSequenceNode? sequence)
        => sequence?.Children.OfType<YamlScalarNode>().Where(s => !IsNull(s)) ?? [];

    public static IEnumerable<YamlMappingNode> Maps(this YamlSequenceNode? sequence)
        => sequence?.Children.OfType<YamlMappingNode>() ?? [];

    public static IReadOnlyDictionary<string, string> ToStringMap(this YamlMappingNode? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map is null) return result;
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode { Value: { } key } && v is YamlScalarNode { Value: { } value })
                result[key] = value;
        return result;
    }

    public static bool IsNull(YamlScalarNode scalar)
        => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
