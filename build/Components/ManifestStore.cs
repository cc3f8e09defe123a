using System.Collections.Concurrent;
using System.Text.Json;
using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>
/// Thread-safe access to artifacts/images.json: stages running in parallel update their own image's
/// record through <see cref="Update"/>, and every update is written atomically.
/// </summary>
public sealed class ManifestStore
{
    private static readonly ConcurrentDictionary<string, ManifestStore> Stores = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private BuildManifest? _manifest;

    private ManifestStore(string path) => Path = path;

    public string Path { get; }

    public static ManifestStore For(AbsolutePath path) => Stores.GetOrAdd(path.Value, p => new ManifestStore(p));

    /// <summary>A snapshot copy of the manifest as it is now.</summary>
    public BuildManifest Read()
    {
        lock (_lock) return Clone(Load());
    }

    public void Update(Action<BuildManifest> change)
    {
        lock (_lock)
        {
            var manifest = Load();
            change(manifest);
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(manifest, BuildManifest.JsonOptions) + "\n");
        }
    }

    /// <summary>Forgets the cached copy, so the next read comes from disk (another process wrote it).</summary>
    public void Reload()
    {
        lock (_lock) _manifest = null;
    }

    private BuildManifest Load()
    {
        if (_manifest is not null) return _manifest;
        if (!File.Exists(Path)) return _manifest = new BuildManifest();
        try
        {
            return _manifest = JsonSerializer.Deserialize<BuildManifest>(File.ReadAllText(Path), BuildManifest.JsonOptions) ?? new BuildManifest();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(
                $"{Path}:{e.LineNumber + 1}: the build manifest is not valid JSON ({e.Message}). Delete it and run BuildImages again.", e);
        }
    }

    private static BuildManifest Clone(BuildManifest manifest)
        => JsonSerializer.Deserialize<BuildManifest>(JsonSerializer.Serialize(manifest, BuildManifest.JsonOptions), BuildManifest.JsonOptions)!;
}
