using Vteam.Build.Tools;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Secrets;
using Vteam.Build.Tools.TruffleHog;

namespace Vteam.Build.Components;

/// <summary>TruffleHog over the repository's git history (or files): a verified secret fails the build, an unknown one warns.</summary>
public interface IScanSecrets : IHazManifest, IHazTools
{
    [Parameter("Path of the trufflehog binary (else PATH, the tool cache, or a download of the pinned release).")]
    string? TrufflehogPath => TryGetValue(() => TrufflehogPath);

    [Parameter("Scan only commits after this ref (a pull request's base, e.g. main). Default: the whole history; on pull requests GITHUB_BASE_REF.")]
    string? SinceCommit => TryGetValue(() => SinceCommit);

    [Parameter("The branch to scan with --since-commit (default HEAD on pull requests).")]
    string? Branch => TryGetValue(() => Branch);

    [Parameter("Which trufflehog results to report: verified,unknown (default), unverified, filtered_unverified.")]
    string[]? SecretResults => TryGetValue(() => SecretResults);

    [Parameter("A file of newline-separated regexes of paths trufflehog skips (default .trufflehog-exclude at the root when present).")]
    string? SecretExcludePaths => TryGetValue(() => SecretExcludePaths);

    [Parameter("Scan these files or folders instead of the git history (trufflehog filesystem).")]
    string[]? SecretScanPaths => TryGetValue(() => SecretScanPaths);

    [Parameter("What an unknown (unverifiable) secret does: warn (default), fail, note or ignore.")]
    SecretAction? SecretUnknownAction => TryGetValue(() => SecretUnknownAction);

    [Parameter("What a verified secret does: fail (default), warn, note or ignore.")]
    SecretAction? SecretVerifiedAction => TryGetValue(() => SecretVerifiedAction);

    [Parameter("Minutes the secret scan may take before it is killed (default 15).")]
    int? TrufflehogTimeoutMinutes => TryGetValue(() => TrufflehogTimeoutMinutes);

    AbsolutePath SecretReportDirectory => ArtifactsDirectory / "secrets";

    Target ScanSecrets => _ => _
        .Description("Scan the git history (on pull requests: from the base) with trufflehog; write findings and SARIF; verified secrets fail.")
        .Executes(async cancellation =>
        {
            var (outcome, options, trufflehog) = await ScanRepositoryAsync(cancellation);
            var verdict = outcome.Verdict;
            Manifest.Update(m => m.Secrets = new SecretScanRecord
            {
                Verified = verdict.Verified,
                Unknown = verdict.Unknown,
                Unverified = verdict.Unverified,
                JsonReport = outcome.FindingsReport,
                SarifReport = outcome.SarifReport,
                Passed = verdict.Passed,
                ToolVersion = trufflehog.Version.ToString(),
                Mode = options.Source is SecretScanSource.GitRepository ? "git" : "filesystem",
                SinceCommit = (options.Source as SecretScanSource.GitRepository)?.SinceCommit,
                ScannedAt = DateTimeOffset.UtcNow,
            });
            foreach (var diagnostic in verdict.Diagnostics) Log.Report(diagnostic);
            Log.Information($"Secrets: {verdict.Verified} verified, {verdict.Unknown} unknown, {verdict.Unverified} unverified. SARIF: {outcome.SarifReport}");
            if (!verdict.Passed)
                throw new InvalidOperationException(Masker.Mask(
                    $"ScanSecrets: {verdict.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error)} secret(s) fail the policy " +
                    $"({string.Join(", ", verdict.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location))}). " +
                    "Revoke and rotate each one, then remove it from the history. Details: " + outcome.SarifReport));
        });

    /// <summary>
    /// The scan of the repository, once per run: Secure starts it in the background when the images start
    /// building (ImagePipeline stage "secrets"), and the target joins it. Findings are held, not printed,
    /// until the target reports them.
    /// </summary>
    Task<(SecretScanOutcome Outcome, SecretScanOptions Options, LocatedTool Trufflehog)> ScanRepositoryAsync(CancellationToken cancellation)
        => ImagePipeline.For(this).RunAsync("secrets", "repository", async () =>
        {
            var trufflehog = await Tools.LocateAsync("trufflehog", TrufflehogPath, Offline == true, cancellation);
            var options = SecretScanOptions();
            var outcome = await new SecretScanStage(ToolRunner, trufflehog).ScanAsync(options, cancellation);
            return (outcome, options, trufflehog);
        });

    SecretScanOptions SecretScanOptions()
    {
        var exclude = SecretExcludePaths is { Length: > 0 } configured
            ? Path.GetFullPath(configured, RootDirectory)
            : (RootDirectory / ".trufflehog-exclude") is var byDefault && byDefault.FileExists() ? byDefault.Value : null;
        if (exclude is not null && !File.Exists(exclude))
            throw new FileNotFoundException($"{exclude}: the exclude file named by --secret-exclude-paths does not exist.", exclude);
        SecretScanSource source;
        if (SecretScanPaths is { Length: > 0 } paths)
            source = new SecretScanSource.Filesystem(paths.Select(p => Path.GetFullPath(p, RootDirectory)).ToList());
        else
        {
            var (since, branch) = SecretScanStage.ResolveRange(SinceCommit, Branch, Environment.GetEnvironmentVariable);
            source = new SecretScanSource.GitRepository(RootDirectory, since, branch);
        }
        var settings = new TruffleHogSettings
        {
            Results = SecretResults is { Length: > 0 } results ? results : ["verified", "unknown"],
            ExcludePathsFile = exclude,
            Timeout = TimeSpan.FromMinutes(TrufflehogTimeoutMinutes ?? 15),
        };
        var policy = new SecretPolicy(
            Verified: SecretVerifiedAction ?? SecretAction.Fail,
            Unknown: SecretUnknownAction ?? SecretAction.Warn);
        return new SecretScanOptions(source, settings, policy, SecretReportDirectory);
    }
}
