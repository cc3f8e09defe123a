using System.Collections.Concurrent;

namespace Vteam.Build.Containers.Registry;

/// <summary>
/// Resolves each distinct reference (and platform) once per run, however many files name it, and
/// lets all lookups run at once; the client bounds what reaches each registry.
/// </summary>
public sealed class ImageResolver(RegistryClient client)
{
    private readonly ConcurrentDictionary<(string Reference, string? Platform), Lazy<Task<ManifestResolution>>> _results = new();
    private int _lookups;

    /// <summary>How many distinct lookups went to a registry.</summary>
    public int Lookups => _lookups;

    public Task<ManifestResolution> ResolveAsync(ImageReference reference, Platform? platform, CancellationToken cancellationToken)
        => _results.GetOrAdd((reference.Canonical, platform?.ToString()), _ => new Lazy<Task<ManifestResolution>>(() =>
        {
            Interlocked.Increment(ref _lookups);
            return client.ResolveAsync(reference, platform, cancellationToken);
        })).Value;

    /// <summary>Resolves all at once; a failure of one is its own result, not the others'.</summary>
    public async Task<IReadOnlyDictionary<(ImageReference Reference, Platform? Platform), DigestLookup>> ResolveAllAsync(
        IEnumerable<(ImageReference Reference, Platform? Platform)> references, CancellationToken cancellationToken)
    {
        var distinct = references.Distinct().ToList();
        var lookups = await Task.WhenAll(distinct.Select(async r =>
        {
            try
            {
                var resolution = await ResolveAsync(r.Reference, r.Platform, cancellationToken);
                return DigestLookup.Found(resolution.Digest);
            }
            catch (RegistryException e)
            {
                return DigestLookup.Failed(e.Message);
            }
        }));
        return distinct.Zip(lookups).ToDictionary(p => p.First, p => p.Second);
    }
}
