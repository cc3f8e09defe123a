namespace Vteam.Build.Containers.Registry;

/// <summary>An OS/architecture[/variant] as in an OCI index, e.g. <c>linux/arm64/v8</c>.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw new FormatException($"'{text}' is not a platform: write os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8.");
        return new Platform(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}

/// <summary>How the registry client reaches registries; the defaults suit a build on a CI runner.</summary>
public sealed record RegistryOptions
{
    /// <summary>Registries (host[:port]) that may be reached over plain HTTP; loopback always may.</summary>
    public IReadOnlySet<string> InsecureRegistries { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registry → mirror host[:port]: lookups go to the mirror, the written name stays the original.</summary>
    public IReadOnlyDictionary<string, string> Mirrors { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests in flight at once to one registry.</summary>
    public int MaxConcurrencyPerRegistry { get; init; } = 16;

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A Retry-After longer than this fails the lookup instead of waiting.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>One attempt (headers and body) taking longer than this is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Parses <c>docker.io=mirror.internal:5000</c> entries.</summary>
    public static IReadOnlyDictionary<string, string> ParseMirrors(IEnumerable<string>? entries)
    {
        var mirrors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries ?? [])
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts[1].Contains('/'))
                throw new FormatException($"--registry-mirror '{entry}' is not registry=mirror-host[:port], e.g. docker.io=mirror.internal:5000.");
            mirrors[parts[0] == "index.docker.io" ? ImageReference.DefaultDomain : parts[0]] = parts[1];
        }
        return mirrors;
    }
}
