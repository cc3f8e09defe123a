using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace Vteam.Build.Containers.Build;

/// <summary>
/// Push credentials from the docker config's <c>auths</c> (base64 user:password) only. Credential helpers
/// and stores are the registry client's business (build/Containers on the pinning branch); this reader
/// stays minimal so that the build stage can push on its own.
/// </summary>
public sealed class RegistryCredentials
{
    private readonly Dictionary<string, (string User, string Password)> _auths;

    private RegistryCredentials(Dictionary<string, (string, string)> auths) => _auths = auths;

    public static RegistryCredentials None { get; } = new([]);

    /// <summary>$DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    public static string DefaultPath()
        => Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "config.json");

    public static RegistryCredentials Load(string? path = null)
    {
        path ??= DefaultPath();
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : None;
    }

    public static RegistryCredentials Parse(string json, string source = "config.json")
    {
        var auths = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e)
        {
            throw new FormatException($"{source}:{e.LineNumber + 1}: not valid JSON ({e.Message.Split('.')[0]}). Fix the file or run `docker login` again.", e);
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("auths", out var entries) || entries.ValueKind != JsonValueKind.Object) return new(auths);
            foreach (var entry in entries.EnumerateObject())
            {
                if (!entry.Value.TryGetProperty("auth", out var auth) || auth.GetString() is not { Length: > 0 } encoded) continue;
                string decoded;
                try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)); }
                catch (FormatException)
                {
                    throw new FormatException($"{source}: the auth of '{entry.Name}' is not base64 of user:password. Run `docker login {entry.Name}` again.");
                }
                var colon = decoded.IndexOf(':');
                if (colon <= 0) throw new FormatException($"{source}: the auth of '{entry.Name}' is not user:password. Run `docker login {entry.Name}` again.");
                auths[Normalize(entry.Name)] = (decoded[..colon], decoded[(colon + 1)..]);
            }
        }
        return new(auths);
    }

    /// <summary>The credentials for a registry host (docker.io accepts the index.docker.io keys), or null.</summary>
    public (string User, string Password)? For(string registryHost)
    {
        var host = Normalize(registryHost);
        if (_auths.TryGetValue(host, out var found)) return found;
        if (host is "docker.io" or "registry-1.docker.io" && _auths.TryGetValue("index.docker.io", out found)) return found;
        return null;
    }

    /// <summary>The engine's AuthConfig for a push to <paramref name="registryHost"/>; the password is registered with the masker by the caller.</summary>
    public AuthConfig AuthConfigFor(string registryHost)
        => For(registryHost) is { } c ? new AuthConfig { Username = c.User, Password = c.Password, ServerAddress = registryHost } : new AuthConfig();

    /// <summary>Every login, for the build's X-Registry-Config (pulling private base images).</summary>
    public IReadOnlyList<AuthConfig> AuthConfigs()
        => _auths.Select(a => new AuthConfig { Username = a.Value.User, Password = a.Value.Password, ServerAddress = a.Key }).ToList();

    // "https://index.docker.io/v1/" and "quay.io" both name a host.
    private static string Normalize(string key)
    {
        var host = key.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        return (slash >= 0 ? host[..slash] : host).ToLowerInvariant();
    }

    /// <summary>The registry host of a repository name (docker.io when the first part is not a host).</summary>
    public static string RegistryHostOf(string repository)
    {
        var slash = repository.IndexOf('/');
        if (slash < 0) return "docker.io";
        var first = repository[..slash];
        return first.Contains('.') || first.Contains(':') || first == "localhost" ? first : "docker.io";
    }
}
