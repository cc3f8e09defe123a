using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vteam.Build.Tests.Containers.RegistryRig;

/// <summary>
/// Pushes small test images through the registry API (blobs, manifests, an OCI index) and returns the
/// digests the registry reports, so tests compare against what the registry itself computed.
/// </summary>
public sealed class TestImagePusher(Uri registry, AuthenticationHeaderValue? authorization = null) : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    private readonly HttpClient _http = new() { BaseAddress = registry };

    public Func<string, AuthenticationHeaderValue?>? AuthorizationFor { get; init; }

    /// <summary>Pushes a one-layer image for a platform and tags it; returns the manifest digest.</summary>
    public async Task<string> PushImageAsync(string repository, string? tag, string os = "linux", string architecture = "amd64", string? variant = null, string mediaType = OciManifest, string? salt = null)
    {
        var config = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            architecture,
            os,
            variant,
            config = new { Labels = new Dictionary<string, string> { ["test.salt"] = salt ?? Guid.NewGuid().ToString("N") } },
            rootfs = new { type = "layers", diff_ids = new[] { "sha256:" + new string('0', 64) } },
        }));
        var layer = RandomNumberGenerator.GetBytes(64);
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        var configType = mediaType == DockerManifest ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        var layerType = mediaType == DockerManifest ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip";
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType,
            config = new { mediaType = configType, digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = layerType, digest = layerDigest, size = layer.Length } },
        });
        return await PutManifestAsync(repository, tag ?? Digest(manifest), manifest, mediaType);
    }

    /// <summary>Pushes one image per platform and an OCI index over them under the tag.</summary>
    public async Task<(string Index, IReadOnlyDictionary<string, string> Platforms)> PushIndexAsync(string repository, string tag, params string[] platforms)
    {
        var children = new Dictionary<string, string>();
        var entries = new List<object>();
        foreach (var platform in platforms)
        {
            var parts = platform.Split('/');
            var digest = await PushImageAsync(repository, null, parts[0], parts[1], parts.Length > 2 ? parts[2] : null);
            children[platform] = digest;
            var size = (await GetManifestAsync(repository, digest)).Length;
            entries.Add(new
            {
                mediaType = OciManifest,
                digest,
                size,
                platform = parts.Length > 2
                    ? (object)new { architecture = parts[1], os = parts[0], variant = parts[2] }
                    : new { architecture = parts[1], os = parts[0] },
            });
        }
        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = OciIndex, manifests = entries });
        return (await PutManifestAsync(repository, tag, index, OciIndex), children);
    }

    public async Task<byte[]> GetManifestAsync(string repository, string reference)
    {
        using var request = Request(HttpMethod.Get, $"v2/{repository}/manifests/{reference}", repository);
        request.Headers.Accept.ParseAdd(OciManifest);
        request.Headers.Accept.ParseAdd(OciIndex);
        request.Headers.Accept.ParseAdd(DockerManifest);
        using var response = await _http.SendAsync(request);
        await Ensure(response, "GET manifest");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        var digest = Digest(content);
        using var start = Request(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", repository);
        using var started = await _http.SendAsync(start);
        await Ensure(started, "start blob upload");
        var location = started.Headers.Location!;
        var upload = location.IsAbsoluteUri ? location : new Uri(registry, location);
        var separator = upload.Query.Length > 0 ? "&" : "?";
        using var put = Request(HttpMethod.Put, upload + separator + "digest=" + Uri.EscapeDataString(digest), repository);
        put.Content = new ByteArrayContent(content);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await _http.SendAsync(put);
        await Ensure(done, "finish blob upload");
        return digest;
    }

    private async Task<string> PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType)
    {
        using var put = Request(HttpMethod.Put, $"v2/{repository}/manifests/{reference}", repository);
        put.Content = new ByteArrayContent(manifest);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.SendAsync(put);
        await Ensure(response, "PUT manifest");
        var digest = response.Headers.GetValues("Docker-Content-Digest").Single();
        if (digest != Digest(manifest)) throw new InvalidOperationException($"registry reported {digest} for a manifest of {Digest(manifest)}");
        return digest;
    }

    private HttpRequestMessage Request(HttpMethod method, string uri, string repository)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = AuthorizationFor?.Invoke(repository) ?? authorization;
        return request;
    }

    private static async Task Ensure(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static AuthenticationHeaderValue Basic(string user, string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public void Dispose() => _http.Dispose();
}
