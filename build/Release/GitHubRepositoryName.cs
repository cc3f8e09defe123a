using System.Text.RegularExpressions;

namespace Vteam.Build.Release;

/// <summary>owner/name of a GitHub repository, and the host it lives on when read from a git remote.</summary>
public sealed partial record GitHubRepositoryName(string Owner, string Name, string? Host = null)
{
    public override string ToString() => $"{Owner}/{Name}";

    /// <summary>Parses "owner/name" as given by --github-repository or GITHUB_REPOSITORY.</summary>
    public static GitHubRepositoryName Parse(string value, string source = "--github-repository")
    {
        var match = OwnerName().Match(value.Trim());
        if (!match.Success)
            throw new ArgumentException($"{source}: '{value}' is not a repository as owner/name (e.g. ambient-code/vTeam).");
        return new GitHubRepositoryName(match.Groups["owner"].Value, match.Groups["name"].Value);
    }

    /// <summary>
    /// Reads owner, name and host from a git remote URL (https, ssh or scp-like). Credentials in the
    /// URL are dropped and never part of the result.
    /// </summary>
    public static GitHubRepositoryName? FromRemoteUrl(string url)
    {
        url = url.Trim();
        string host, path;
        var scp = ScpLike().Match(url);
        if (scp.Success)
        {
            host = scp.Groups["host"].Value;
            path = scp.Groups["path"].Value;
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git")
        {
            host = uri.Host;
            path = uri.AbsolutePath;
        }
        else return null;

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return null;
        var name = segments[^1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[^1][..^4] : segments[^1];
        var owner = segments[^2];
        return OwnerName().IsMatch($"{owner}/{name}") ? new GitHubRepositoryName(owner, name, host.ToLowerInvariant()) : null;
    }

    /// <summary>
    /// The REST API root: api.github.com for github.com, else GitHub Enterprise Server's
    /// <c>https://HOST/api/v3/</c> unless the path is given. Always ends with '/'.
    /// </summary>
    public static Uri ApiBaseUrl(string? apiUrl, string? remoteHost = null)
    {
        if (string.IsNullOrWhiteSpace(apiUrl))
            return remoteHost is null or "github.com" ? new Uri("https://api.github.com/") : new Uri($"https://{remoteHost}/api/v3/");
        if (!Uri.TryCreate(apiUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new ArgumentException($"--github-api-url: '{apiUrl}' is not an http(s) URL (e.g. https://github.example.com/api/v3).");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new ArgumentException("--github-api-url must not carry credentials; pass the token as GITHUB_TOKEN.");
        if (uri.Host is "github.com" or "api.github.com") return new Uri("https://api.github.com/");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.Length == 0) path = "/api/v3";
        return new UriBuilder(uri) { Path = path + "/", Query = "", Fragment = "" }.Uri;
    }

    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?<name>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex OwnerName();

    [GeneratedRegex(@"^(?:[^@/\s]+@)?(?<host>[A-Za-z0-9.-]+):(?!//)(?<path>[^\s]+)$")]
    private static partial Regex ScpLike();
}
