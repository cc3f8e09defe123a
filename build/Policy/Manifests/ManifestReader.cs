using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Reads the Kubernetes objects of a multi-document YAML text, keeping line numbers.</summary>
public static class ManifestReader
{
    // Kustomize's own files describe how to assemble objects; they are not objects in the cluster.
    private static readonly HashSet<string> NotClusterObjects = new(StringComparer.Ordinal) { "Kustomization", "Component" };

    /// <param name="file">The path shown in findings (repository-relative).</param>
    /// <param name="defaultNamespace">The namespace of objects that state none.</param>
    public static IReadOnlyList<ManifestObject> Read(string file, string text, string? defaultNamespace = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet's message describes the syntax, not the content, so no value leaks from here.
            throw new ManifestFormatException(file, (int)e.Start.Line,
                $"{file}:{e.Start.Line}: not valid YAML ({Describe(e)}). Fix the syntax; `kubectl apply --dry-run=client -f {file}` shows the same problem.");
        }

        var objects = new List<ManifestObject>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode scalar && YamlNodes.IsNull(scalar)) continue;
            if (document.RootNode is not YamlMappingNode root)
                throw new ManifestFormatException(file, document.RootNode.Line(),
                    $"{file}:{document.RootNode.Line()}: a document here is not a mapping; each document must be one Kubernetes object.");
            var kind = root.GetString("kind");
            var apiVersion = root.GetString("apiVersion");
            if (kind is null || apiVersion is null)
                throw new ManifestFormatException(file, root.Line(),
                    $"{file}:{root.Line()}: a document here has no {(kind is null ? "kind" : "apiVersion")}; every object needs apiVersion and kind.");
            if (NotClusterObjects.Contains(kind) && apiVersion.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal)) continue;
            var metadata = root.GetMap("metadata");
            objects.Add(new ManifestObject(
                file,
                root.Line(),
                apiVersion,
                kind,
                metadata.GetString("name") ?? metadata.GetString("generateName") ?? "(unnamed)",
                metadata.GetString("namespace") ?? (ClusterScoped.Contains(kind) ? null : defaultNamespace),
                root));
        }
        return objects;
    }

    private static string Describe(YamlException e)
    {
        // "(Line: 3, Col: 5, Idx: 20) - (Line: ...): While scanning ..." → the part after the location.
        var message = e.Message;
        var at = message.IndexOf("): ", StringComparison.Ordinal);
        return at >= 0 ? message[(at + 3)..] : message;
    }

    internal static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
        "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "ClusterSecretStore", "ClusterExternalSecret",
    };
}

/// <summary>A manifest file that cannot be read as Kubernetes YAML; the message names file and line.</summary>
public sealed class ManifestFormatException(string file, int line, string message) : Exception(message)
{
    public string File { get; } = file;
    public int Line { get; } = line;
}
