using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace FakeTools;

/// <summary>An image reference as go-containerregistry reads it: registry, repository path, tag or digest.</summary>
public sealed record ImageRef(string Registry, string Name, string Path, string? Tag, string? Digest)
{
    public string Ref => Digest ?? Tag ?? "latest";
}

/// <summary>What syft and cosign fakes ask a registry: does this manifest exist, and what is its digest (http on loopback, as ggcr).</summary>
public static partial class RegistryProbe
{
    public static ImageRef? Parse(string text)
    {
        var match = ReferencePattern().Match(text);
        if (!match.Success) return null;
        var name = match.Groups["name"].Value;
        var first = name.Split('/')[0];
        var hasRegistry = name.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost");
        var registry = hasRegistry ? first : "index.docker.io";
        var path = hasRegistry ? name[(first.Length + 1)..] : name.Contains('/') ? name : "library/" + name;
        var digest = match.Groups["digest"].Value;
        var tag = match.Groups["tag"].Value;
        return new ImageRef(registry, name, path, tag.Length > 0 ? tag : null, digest.Length > 0 ? digest : null);
    }

    /// <summary>The manifest's digest, or an error in ggcr's words; basic credentials when a tool was handed some.</summary>
    public static string? Resolve(ImageRef reference, out string digest, string? username = null, string? password = null)
    {
        digest = reference.Ref;
        var host = reference.Registry.Split(':')[0];
        var scheme = host is "localhost" or "127.0.0.1" or "::1" || host.EndsWith(".localhost", StringComparison.Ordinal) ? "http" : "https";
        var url = $"{scheme}://{reference.Registry}/v2/{reference.Path}/manifests/{reference.Ref}";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                         "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json" })
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            if (username is { Length: > 0 })
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
            using var response = http.Send(request);
            if (response.StatusCode == HttpStatusCode.NotFound) return $"GET {url}: MANIFEST_UNKNOWN: manifest unknown; map[Tag:{reference.Ref}]";
            if (!response.IsSuccessStatusCode) return $"GET {url}: unexpected status code {(int)response.StatusCode}";
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)) digest = values.First();
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"Get \"{url}\": {e.Message}";
        }
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$")]
    private static partial Regex ReferencePattern();
}
