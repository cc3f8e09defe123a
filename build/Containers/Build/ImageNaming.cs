using System.Globalization;
using System.Text.RegularExpressions;

namespace Vteam.Build.Containers.Build;

/// <summary>What a build knows about the source it builds: version, commit, when, and where it lives.</summary>
public sealed record SourceRevision(string? Version, string? Commit, DateTimeOffset BuildDate, string? SourceUrl);

/// <summary>The names, labels and build arguments of one component's image.</summary>
public sealed record ImageIdentity(
    string Repository,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> BuildArgs)
{
    public IEnumerable<string> References => Tags.Select(t => $"{Repository}:{t}");
}

/// <summary>
/// <c>{registry}/{prefix}{name}</c> with tags from the version and the git commit, OCI labels, and the build
/// arguments VERSION, VCS_REF and BUILD_DATE (a component's own build args override none of these).
/// </summary>
public static partial class ImageNaming
{
    public const int ShortCommitLength = 12;

    /// <param name="name">A name after the prefix, or a whole repository (with '/'): that is used as it is, but
    /// under --registry when one is given, keeping its last part (which then takes no prefix).</param>
    public static string Repository(string? registry, string? prefix, string name)
    {
        if (name.Contains('/'))
        {
            RequireValidImage(name, "image");
            var last = name[(name.LastIndexOf('/') + 1)..];
            return string.IsNullOrWhiteSpace(registry) ? name : Repository(registry, null, last);
        }
        var path = (prefix ?? "") + name;
        RequireValidPathComponent(path, "image name");
        var host = registry?.Trim().TrimEnd('/');
        if (string.IsNullOrEmpty(host)) return path;
        if (host.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"--registry '{registry}' must be a registry host and path (e.g. quay.io/ambient_code), without a scheme.");
        var parts = host.Split('/');
        for (var i = 1; i < parts.Length; i++) RequireValidPathComponent(parts[i], $"--registry '{registry}'");
        return $"{host}/{path}";
    }

    public static ImageIdentity For(ComponentSpec component, string? registry, string? prefix, SourceRevision source)
    {
        var repository = Repository(registry, prefix, component.ImageName);
        var tags = new List<string>();
        if (!string.IsNullOrWhiteSpace(source.Version)) tags.Add(Tag(source.Version));
        if (!string.IsNullOrWhiteSpace(source.Commit)) tags.Add(Tag(source.Commit[..Math.Min(ShortCommitLength, source.Commit.Length)]));
        if (tags.Count == 0) tags.Add("latest");

        var created = source.BuildDate.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.opencontainers.image.title"] = component.Name,
            ["org.opencontainers.image.created"] = created,
        };
        if (source.Version is not null) labels["org.opencontainers.image.version"] = source.Version;
        if (source.Commit is not null) labels["org.opencontainers.image.revision"] = source.Commit;
        if (source.SourceUrl is not null) labels["org.opencontainers.image.source"] = source.SourceUrl;

        var args = new SortedDictionary<string, string>(component.BuildArgs.ToDictionary(), StringComparer.Ordinal)
        {
            ["VERSION"] = source.Version ?? "",
            ["VCS_REF"] = source.Commit ?? "",
            ["BUILD_DATE"] = created,
        };
        return new ImageIdentity(repository, tags.Distinct().ToList(), labels, args);
    }

    /// <summary>A tag may hold [A-Za-z0-9_.-], start with neither '.' nor '-', and be at most 128 long; '+' (semver build metadata) becomes '-'.</summary>
    public static string Tag(string value)
    {
        var tag = InvalidTagChar().Replace(value.Trim(), "-");
        tag = tag.TrimStart('.', '-');
        if (tag.Length == 0) throw new ArgumentException($"'{value}' cannot be made into an image tag. Use letters, digits, '_', '.' and '-'.");
        return tag.Length > 128 ? tag[..128] : tag;
    }

    /// <summary>A name, or a whole repository whose first part may be a registry host (with a port).</summary>
    internal static void RequireValidImage(string value, string what)
    {
        var parts = value.Split('/');
        var first = parts.Length > 1 && (parts[0].Contains('.') || parts[0].Contains(':') || parts[0] == "localhost") ? 1 : 0;
        if (first == 1 && !HostPart().IsMatch(parts[0]))
            throw new ArgumentException($"{what} '{value}' does not start with a valid registry host (e.g. quay.io or 127.0.0.1:5000).");
        RequireValidPathComponent(string.Join('/', parts[first..]), what);
    }

    internal static void RequireValidPathComponent(string value, string what)
    {
        if (!PathComponent().IsMatch(value))
            throw new ArgumentException($"{what} '{value}' is not a valid image repository name: use lowercase letters, digits and separators ('.', '_', '__', '-'), e.g. vteam_backend.");
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$")]
    private static partial Regex HostPart();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex InvalidTagChar();

    // The distribution spec's path component: lowercase alphanumerics joined by '.', '_', '__' or '-'s.
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathComponent();
}
