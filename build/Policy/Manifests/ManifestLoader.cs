using Vteam.Build.Engine;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Reads every *.yaml / *.yml under a directory into a <see cref="ManifestSet"/> (the I/O edge).</summary>
public static class ManifestLoader
{
    /// <param name="directory">The manifests directory, e.g. components/manifests.</param>
    /// <param name="root">Paths in findings are relative to this (the repository root).</param>
    public static ManifestSet Load(AbsolutePath directory, AbsolutePath root)
    {
        if (!directory.DirectoryExists())
            throw new DirectoryNotFoundException($"{directory.RelativeTo(root)}: the manifests directory does not exist. Create it or pass another --manifests-directory.");
        var files = Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var objects = new List<ManifestObject>();
        foreach (var file in files)
            objects.AddRange(ManifestReader.Read(new AbsolutePath(file).RelativeTo(root), File.ReadAllText(file)));
        return new ManifestSet(objects);
    }
}
