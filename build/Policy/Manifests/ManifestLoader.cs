using Vteam.Build.Engine;
using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Reads every *.yaml / *.yml under a directory into a <see cref="ManifestSet"/> (the I/O edge).</summary>
public static class ManifestLoader
{
    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <param name="directory">The manifests directory, e.g. components/manifests.</param>
    /// <param name="root">Paths in findings are relative to this (the repository root).</param>
    public static ManifestSet Load(AbsolutePath directory, AbsolutePath root)
    {
        if (!directory.DirectoryExists())
            throw new DirectoryNotFoundException($"{directory.RelativeTo(root)}: the manifests directory does not exist. Create it, or point ManifestsDirectory elsewhere.");
        var files = Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var objects = new List<ManifestObject>();
        foreach (var file in files)
        {
            var path = new AbsolutePath(file);
            objects.AddRange(ManifestReader.Read(path.RelativeTo(root), File.ReadAllText(file), DefaultNamespace(path.Parent, directory, root)));
        }
        return new ManifestSet(objects);
    }

    /// <summary>
    /// The namespace an object without one lands in: the nearest kustomization's <c>namespace:</c> at or
    /// above its folder (inside the manifests directory), else Kubernetes' "default".
    /// </summary>
    internal static string DefaultNamespace(AbsolutePath folder, AbsolutePath top, AbsolutePath root)
    {
        for (var current = folder; current.Value.StartsWith(top.Value, StringComparison.Ordinal); current = current.Parent)
        {
            foreach (var name in KustomizationNames)
            {
                var file = current / name;
                if (!file.FileExists()) continue;
                var stream = new YamlStream();
                try
                {
                    stream.Load(new StringReader(File.ReadAllText(file)));
                }
                catch (YamlDotNet.Core.YamlException e)
                {
                    throw new ManifestFormatException(file.RelativeTo(root), (int)e.Start.Line, $"{file.RelativeTo(root)}:{e.Start.Line}: the kustomization is not valid YAML.");
                }
                if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode kustomization && kustomization.GetString("namespace") is { } ns)
                    return ns;
            }
            if (current == top) break;
        }
        return "default";
    }
}
