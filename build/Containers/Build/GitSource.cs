using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Vteam.Build.Containers.Build;

/// <summary>
/// The commit, its date and the source URL of the repository being built. The build date is the commit's
/// (or SOURCE_DATE_EPOCH), not the clock's, so that an unchanged rebuild gives the same labels and hits the cache.
/// </summary>
public static class GitSource
{
    public static async Task<SourceRevision> ReadAsync(string root, string? version, CancellationToken cancellationToken = default)
    {
        var commit = await GitAsync(root, ["rev-parse", "HEAD"], cancellationToken);
        var committed = commit is null ? null : await GitAsync(root, ["show", "-s", "--format=%cI", "HEAD"], cancellationToken);
        var origin = await GitAsync(root, ["config", "--get", "remote.origin.url"], cancellationToken);

        var buildDate = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { Length: > 0 } epoch
                        && long.TryParse(epoch, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : committed is not null && DateTimeOffset.TryParse(committed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : DateTimeOffset.UtcNow;

        var server = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var repository = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
        var source = server is { Length: > 0 } && repository is { Length: > 0 } ? $"{server.TrimEnd('/')}/{repository}" : SourceUrl(origin);
        return new SourceRevision(version, commit, buildDate, source);
    }

    /// <summary>An origin URL as a browsable https URL, never with the credentials some clones carry in it.</summary>
    public static string? SourceUrl(string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin)) return null;
        var url = origin.Trim();
        if (!url.Contains("://", StringComparison.Ordinal) && url.IndexOf(':') is var colon and > 0 && url.IndexOf('@') is var at && at < colon)
            url = $"https://{url[(at + 1)..colon]}/{url[(colon + 1)..]}";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "ssh" or "git")) return null;
        var path = uri.AbsolutePath.EndsWith(".git", StringComparison.Ordinal) ? uri.AbsolutePath[..^4] : uri.AbsolutePath;
        return $"https://{uri.Host}{path}";
    }

    private static async Task<string?> GitAsync(string root, string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Cli.Wrap("git")
                .WithArguments(a => a.Add("-C").Add(root).Add(arguments))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken);
            return result.ExitCode == 0 && result.StandardOutput.Trim() is { Length: > 0 } output ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed: the build still runs, without commit tags
        }
    }
}
