using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Engine;
using Vteam.Build.Release;

namespace Vteam.Build.Components;

/// <summary>
/// The release: ChecksumRelease gathers the assets of verified images into artifacts/release/ with
/// SHA256SUMS; PublishRelease, with --publish, makes the GitHub release match it. Safe to re-run at
/// any point: same content is kept, changed content replaced, nothing duplicated.
/// </summary>
public interface IPublishRelease : IHazManifest, IHazVersion
{
    [Parameter("Publish the GitHub release: create or update it, upload the assets, publish it. Without it, PublishRelease only prepares artifacts/release/.")]
    bool? Publish => TryGetValue(() => Publish);

    [Parameter("The release tag (default: v<version>).")]
    string? ReleaseTag => TryGetValue(() => ReleaseTag);

    [Parameter("Leave the release a draft instead of publishing it.")]
    bool? Draft => TryGetValue(() => Draft);

    [Parameter("A GitHub token that may write the repository's releases (contents: write).", Name = "github-token", EnvironmentVariable = "GITHUB_TOKEN")]
    [Secret]
    string? GitHubToken => TryGetValue(() => GitHubToken);

    [Parameter("The repository to release to, as owner/name (default: GITHUB_REPOSITORY, else the origin remote).", Name = "github-repository", EnvironmentVariable = "GITHUB_REPOSITORY")]
    string? GitHubRepository => TryGetValue(() => GitHubRepository);

    [Parameter("The GitHub REST API root, for GitHub Enterprise Server e.g. https://github.example.com/api/v3 (default: api.github.com).", Name = "github-api-url", EnvironmentVariable = "GITHUB_API_URL")]
    string? GitHubApiUrl => TryGetValue(() => GitHubApiUrl);

    /// <summary>Settings hook: whether images must be signed and verified to be released. A build with a signing capability overrides it.</summary>
    bool ReleaseRequiresVerifiedImages => Manifest.Read().Images.Any(i => i.Signature is not null);

    /// <summary>--publish needs --github-token or GITHUB_TOKEN; checked before anything runs.</summary>
    bool GitHubTokenGivenWithPublish => Publish != true || !string.IsNullOrWhiteSpace(GitHubToken);

    /// <summary>Settings hook: retries, waits and their limits for GitHub requests.</summary>
    GitHubRetryPolicy ReleaseRetryPolicy => new();

    Target ChecksumRelease => _ => _
        .Description("Gathers the release assets of verified images into artifacts/release/ and writes SHA256SUMS over them.")
        .Executes(() =>
        {
            if (!ReleaseRequiresVerifiedImages)
                Log.Warning("Signing is not configured: the release is published without signature checks on its images.");
            var release = PrepareRelease();
            Log.Information($"ChecksumRelease: {release.Assets.Count} assets of {release.Tag} in artifacts/release/, listed in {Checksums.FileName}.");
        });

    Target PublishRelease => _ => _
        .Description("With --publish: makes the GitHub release match artifacts/release/ (idempotent, resumable, checksummed).")
        // A release never goes out after a failed gate, even with --continue.
        .OnlyWhenDynamic(() => FailedTargets.Count == 0)
        .DependsOn(ChecksumRelease)
        .Requires(() => GitHubTokenGivenWithPublish, "--publish needs a GitHub token: set GITHUB_TOKEN (a token that may write releases, contents: write).")
        .Executes(async cancellationToken =>
        {
            var release = PrepareRelease();
            if (Publish != true)
            {
                ReleaseStage.PrintPlan(release);
                Log.Information($"PublishRelease: --publish not given, so nothing is sent to GitHub; the release {release.Tag} is ready in artifacts/release/.");
                return;
            }

            Masker.Register(GitHubToken);
            var repository = await ResolveRepositoryAsync(cancellationToken);
            var publisher = new OctokitReleasePublisher(repository, GitHubToken!, GitHubRepositoryName.ApiBaseUrl(GitHubApiUrl, repository.Host), ReleaseRetryPolicy);
            var result = await ReleaseStage.PublishAsync(release, publisher, Draft == true, cancellationToken);
            Manifest.Update(m => m.Release = new ReleaseRecord
            {
                Tag = release.Tag,
                Url = result.Release.HtmlUrl,
                Draft = result.Release.Draft,
                Assets = release.Assets.Select(a => a.Name).ToList(),
            });
        });

    private PreparedRelease PrepareRelease()
    {
        var manifest = Manifest.Read();
        var tag = ReleaseStage.ResolveTag(ReleaseTag, Version, manifest.Version);
        return ReleaseStage.Prepare(manifest, ArtifactsDirectory, tag, ReleaseRequiresVerifiedImages,
            recorded => Path.IsPathFullyQualified(recorded) ? recorded
                : (RootDirectory / recorded).FileExists() ? (RootDirectory / recorded).Value
                : (ArtifactsDirectory / recorded).Value);
    }

    private async Task<GitHubRepositoryName> ResolveRepositoryAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(GitHubRepository))
            return GitHubRepositoryName.Parse(GitHubRepository);
        var result = await Cli.Wrap("git").WithArguments(["remote", "get-url", "origin"]).WithWorkingDirectory(RootDirectory)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        // The remote URL may carry credentials: it is parsed, never printed.
        return (result.ExitCode == 0 ? GitHubRepositoryName.FromRemoteUrl(result.StandardOutput) : null)
               ?? throw new InvalidOperationException(
                   "PublishRelease does not know the repository: pass --github-repository owner/name (or set GITHUB_REPOSITORY), " +
                   "or run in a clone whose origin remote is on GitHub.");
    }
}
