using CliWrap;

namespace Vteam.Build.Tools.TruffleHog;

/// <summary>What trufflehog scans: a git repository's history, or plain files.</summary>
public abstract record SecretScanSource
{
    private SecretScanSource() { }

    /// <summary>
    /// A local git repository. With <see cref="SinceCommit"/> only the commits after it (a pull request
    /// from its base); otherwise the whole history.
    /// </summary>
    public sealed record GitRepository(string Directory, string? SinceCommit = null, string? Branch = null) : SecretScanSource;

    public sealed record Filesystem(IReadOnlyList<string> Paths) : SecretScanSource;
}

public sealed record TruffleHogSettings
{
    /// <summary>verified, unknown, unverified, filtered_unverified. The build's default leaves out plain unverified hits.</summary>
    public IReadOnlyList<string> Results { get; init; } = ["verified", "unknown"];
    /// <summary>A file of newline-separated regexes of paths to skip (-x).</summary>
    public string? ExcludePathsFile { get; init; }
    /// <summary>No calls to provider APIs: every finding comes out unverified.</summary>
    public bool NoVerification { get; init; }
    public int? Concurrency { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);
}

/// <summary>Pure factories for trufflehog v3's command lines (tool-contracts.md §4).</summary>
public static class TruffleHogCommands
{
    public const int FindingsExitCode = 183;

    public static readonly IReadOnlyList<string> KnownResults = ["verified", "unknown", "unverified", "filtered_unverified"];

    public static readonly ToolExitCodes ExitCodes = ToolExitCodes.Of([0], [FindingsExitCode],
        new Dictionary<int, string> { [1] = "an error happened; sources may not have finished", [FindingsExitCode] = "results found (--fail)" });

    public static ToolInvocation Scan(string trufflehog, SecretScanSource source, TruffleHogSettings settings)
    {
        var unknown = settings.Results.Where(r => !KnownResults.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0 || settings.Results.Count == 0)
            throw new ArgumentException($"--secret-results takes some of {string.Join(",", KnownResults)}; got '{string.Join(",", settings.Results)}'.");

        var command = Cli.Wrap(trufflehog).WithArguments(a =>
        {
            // The subcommand first: flags of `git` must come after the word git.
            switch (source)
            {
                case SecretScanSource.GitRepository git:
                    a.Add("git").Add(FileUri(git.Directory));
                    if (git.SinceCommit is { Length: > 0 } since) a.Add("--since-commit").Add(since);
                    if (git.Branch is { Length: > 0 } branch) a.Add("--branch").Add(branch);
                    break;
                case SecretScanSource.Filesystem fs:
                    if (fs.Paths.Count == 0) throw new ArgumentException("a filesystem secret scan needs at least one path.");
                    a.Add("filesystem").Add(fs.Paths);
                    break;
            }
            a.Add("--json")
                .Add("--no-update")
                .Add($"--results={string.Join(',', settings.Results)}")
                .Add("--fail");
            if (settings.NoVerification) a.Add("--no-verification");
            if (settings.ExcludePathsFile is { Length: > 0 } exclude) a.Add("--exclude-paths").Add(exclude);
            if (settings.Concurrency is { } concurrency) a.Add($"--concurrency={concurrency}");
        });
        return new ToolInvocation("trufflehog", command, settings.Timeout, ExitCodes);
    }

    /// <summary>file:///abs/path — trufflehog needs a scheme on the URI.</summary>
    public static string FileUri(string directory) => new Uri(Path.GetFullPath(directory)).AbsoluteUri;
}
