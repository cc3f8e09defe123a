using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Manifests;

/// <summary>
/// One Kubernetes object from a (multi-document) YAML file, with the YAML nodes kept so rules can
/// name the line of any field.
/// </summary>
public sealed record ManifestObject(
    string File,
    int Line,
    string ApiVersion,
    string Kind,
    string Name,
    string? Namespace,
    YamlMappingNode Root)
{
    public YamlMappingNode? Metadata => Root.GetMap("metadata");
    public YamlMappingNode? Spec => Root.GetMap("spec");

    /// <summary>The line of metadata.name, where findings about the whole object point.</summary>
    public int NameLine => Metadata?.KeyLine("name") ?? Line;

    public IReadOnlyDictionary<string, string> Labels => Metadata.GetMap("labels").ToStringMap();

    public string Describe() => $"{Kind} {Name}";

    public bool Is(string kind) => string.Equals(Kind, kind, StringComparison.Ordinal);
}
