using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Vteam.Build.Containers;

/// <summary>
/// An image reference by the distribution reference grammar: <c>[domain/]path[:tag][@digest]</c>,
/// normalised so that <c>alpine</c> and <c>docker.io/library/alpine</c> are the same name.
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string OfficialRepositoryPrefix = "library/";
    private const int NameMaxLength = 255;

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host with port, e.g. <c>docker.io</c>, <c>localhost:5000</c>, <c>[::1]:5000</c>.</summary>
    public string Domain { get; }
    /// <summary>Repository path inside the registry, e.g. <c>library/alpine</c>.</summary>
    public string Path { get; }
    public string? Tag { get; }
    /// <summary><c>algorithm:hex</c>, e.g. <c>sha256:…</c>.</summary>
    public string? Digest { get; }

    public bool IsPinned => Digest is not null;
    /// <summary>domain/path: the fully qualified repository name.</summary>
    public string Name => $"{Domain}/{Path}";
    /// <summary>What the registry's manifest endpoint is asked for: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>The fully qualified form: <c>docker.io/library/alpine:3.20@sha256:…</c>; no tag means latest.</summary>
    public string Canonical => Name + (Tag is not null ? ":" + Tag : Digest is null ? ":latest" : "") + (Digest is not null ? "@" + Digest : "");

    /// <summary>The short form people write: <c>alpine:3.20</c>, <c>user/app</c>, <c>quay.io/x/y@sha256:…</c>.</summary>
    public string Familiar => FamiliarName + (Tag is not null ? ":" + Tag : "") + (Digest is not null ? "@" + Digest : "");

    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain) return Name;
            return Path.StartsWith(OfficialRepositoryPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepositoryPrefix.Length) < 0
                ? Path[OfficialRepositoryPrefix.Length..]
                : Path;
        }
    }

    public ImageReference WithDigest(string digest)
    {
        if (!IsValidDigest(digest, out var error)) throw new FormatException($"'{digest}' is not a valid digest: {error}.");
        return new ImageReference(Domain, Path, Tag, digest);
    }

    public ImageReference WithoutDigest() => new(Domain, Path, Tag, null);
    public ImageReference WithTag(string? tag) => new(Domain, Path, tag, Digest);
    public ImageReference WithDomain(string domain) => new(domain, Path, Tag, Digest);

    public override string ToString() => Familiar;

    public static ImageReference Parse(string text)
        => TryParse(text, out var reference, out var error)
            ? reference
            : throw new FormatException($"'{text}' is not a valid image reference: {error}.");

    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrEmpty(text)) { error = "it is empty"; return false; }
        if (text.Any(char.IsWhiteSpace)) { error = "it contains white space"; return false; }

        var remainder = text;
        string? digest = null;
        var at = remainder.IndexOf('@');
        if (at >= 0)
        {
            digest = remainder[(at + 1)..];
            remainder = remainder[..at];
            if (!IsValidDigest(digest, out error)) return false;
        }

        // The tag is after the last ':' that follows the last '/', so a port (localhost:5000/x) is not a tag.
        string? tag = null;
        var slash = remainder.LastIndexOf('/');
        var colon = remainder.LastIndexOf(':');
        if (colon > slash && !(slash < 0 && remainder.StartsWith('[')))
        {
            tag = remainder[(colon + 1)..];
            remainder = remainder[..colon];
            if (tag.Length == 0) { error = "the tag after ':' is empty"; return false; }
            if (!TagPattern().IsMatch(tag))
            {
                error = tag.Length > 128
                    ? $"the tag is {tag.Length} characters long; at most 128 are allowed"
                    : $"the tag '{tag}' may hold only letters, digits, '_', '.' and '-', and must not start with '.' or '-'";
                return false;
            }
        }

        if (remainder.Length == 0) { error = "the repository name is empty"; return false; }
        if (remainder.Length > NameMaxLength) { error = $"the repository name is longer than {NameMaxLength} characters"; return false; }

        var (domain, path) = SplitDomain(remainder);
        if (domain is not null && !IsValidDomain(domain, out error)) return false;
        if (path.Any(char.IsUpper)) { error = $"the repository name '{path}' must be lower case"; return false; }
        foreach (var component in path.Split('/'))
        {
            if (component.Length == 0) { error = $"the repository name '{path}' has an empty path component"; return false; }
            if (!PathComponentPattern().IsMatch(component))
            {
                error = $"the path component '{component}' may hold only a-z, 0-9 and the separators '.', '_', '__' and '-' between them";
                return false;
            }
        }

        domain ??= DefaultDomain;
        if (domain == "index.docker.io") domain = DefaultDomain;
        if (domain == DefaultDomain && !path.Contains('/')) path = OfficialRepositoryPrefix + path;
        if (domain.Length + 1 + path.Length > NameMaxLength) { error = $"the repository name is longer than {NameMaxLength} characters"; return false; }

        reference = new ImageReference(domain, path, tag, digest);
        error = null;
        return true;
    }

    // Docker's rule: the first component is a registry when it has a '.' or ':', is localhost, or has upper case.
    private static (string? Domain, string Path) SplitDomain(string name)
    {
        var slash = name.IndexOf('/');
        if (name.StartsWith('['))
        {
            var close = name.IndexOf(']');
            slash = name.IndexOf('/', Math.Max(close, 0));
        }
        if (slash < 0) return (null, name);
        var first = name[..slash];
        if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper) || first.StartsWith('['))
            return (first, name[(slash + 1)..]);
        return (null, name);
    }

    private static bool IsValidDomain(string domain, [NotNullWhen(false)] out string? error)
    {
        string host = domain;
        string? port = null;
        if (domain.StartsWith('['))
        {
            var close = domain.IndexOf(']');
            if (close < 0) { error = $"the IPv6 registry host '{domain}' lacks its closing ']'"; return false; }
            host = domain[..(close + 1)];
            var rest = domain[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') { error = $"the registry '{domain}' has text after its IPv6 address"; return false; }
                port = rest[1..];
            }
            if (!System.Net.IPAddress.TryParse(host[1..^1], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = domain.IndexOf(':');
            if (colon >= 0) { host = domain[..colon]; port = domain[(colon + 1)..]; }
            foreach (var label in host.Split('.'))
                if (!DomainComponentPattern().IsMatch(label))
                {
                    error = $"the registry host '{host}' is not a valid host name (component '{label}')";
                    return false;
                }
        }
        if (port is not null && (port.Length == 0 || !port.All(char.IsAsciiDigit) || port.Length > 5 || int.Parse(port) > 65535))
        {
            error = $"the registry port '{port}' is not a number from 0 to 65535";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Checks a digest: the algorithm grammar, and for sha256/sha384/sha512 the hex length in lower case.</summary>
    public static bool IsValidDigest(string digest, [NotNullWhen(false)] out string? error)
    {
        var colon = digest.IndexOf(':');
        if (colon < 0) { error = $"the digest '{digest}' lacks the 'algorithm:' prefix"; return false; }
        var algorithm = digest[..colon];
        var hex = digest[(colon + 1)..];
        if (!DigestAlgorithmPattern().IsMatch(algorithm)) { error = $"the digest algorithm '{algorithm}' is not valid"; return false; }
        int? length = algorithm switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => null };
        if (length is null) { error = $"the digest algorithm '{algorithm}' is not supported (sha256, sha384, sha512)"; return false; }
        if (hex.Length != length) { error = $"a {algorithm} digest has {length} hex characters, this one has {hex.Length}"; return false; }
        if (!hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) { error = $"the {algorithm} digest must be lower-case hex"; return false; }
        error = null;
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$")]
    private static partial Regex DomainComponentPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9]*(?:[+._-][a-z][a-z0-9]*)*$")]
    private static partial Regex DigestAlgorithmPattern();
}
