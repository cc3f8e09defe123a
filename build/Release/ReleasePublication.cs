using System.Globalization;
using Vteam.Build.Engine;

namespace Vteam.Build.Release;

public sealed record ReleaseRequest(string Tag, string Name, string Body, string? TargetCommitish, bool Prerelease, bool KeepDraft);

public sealed record PublicationResult(RemoteRelease Release, ReleasePlan Plan, IReadOnlyList<ReleaseStep> Done, bool Published);

/// <summary>
/// Brings a GitHub release to the wanted state: finds it by tag or creates a draft, plans keep /
/// upload / replace per asset, carries out the steps, checks the result, then publishes. Every step
/// can be interrupted; the next run starts from what the release has.
/// </summary>
public sealed class ReleasePublication(IReleasePublisher publisher)
{
    public async Task<PublicationResult> PublishAsync(ReleaseRequest request, IReadOnlyList<LocalAsset> assets, CancellationToken cancellationToken)
    {
        var release = await publisher.FindReleaseAsync(request.Tag, cancellationToken);
        if (release is null)
        {
            release = await publisher.CreateDraftAsync(
                new NewReleaseDraft(request.Tag, request.Name, request.Body, request.TargetCommitish, request.Prerelease), cancellationToken);
            Log.Information($"Created the draft release {request.Tag} on {publisher.Repository}.");
        }
        else
            Log.Information($"Found the {(release.Draft ? "draft" : "published")} release {request.Tag} on {publisher.Repository}.");

        var remote = await publisher.ListAssetsAsync(release, cancellationToken);
        var plan = await PlanAsync(assets, remote, cancellationToken);
        Log.Table($"Release {request.Tag}: assets", ["Asset", "Size", "Action", "Why"],
            plan.Decisions.Select(d => (IReadOnlyList<string>)[d.Local.Name, d.Local.Size.ToString(CultureInfo.InvariantCulture), d.Action.ToString().ToLowerInvariant(), d.Reason]));
        foreach (var unknown in plan.Unknown)
            Log.Warning($"The release {request.Tag} has an asset this build does not make: {unknown.Name}. It is left alone; delete it by hand if it is stale.");

        if (release.Immutable && !release.Draft && plan.ChangesAnything)
            throw new GitHubApiException(null,
                $"The release {request.Tag} on {publisher.Repository} is immutable (published with immutable releases on), so its assets " +
                $"cannot change, but {string.Join(", ", plan.Decisions.Where(d => d.Action != AssetAction.Keep).Select(d => d.Local.Name))} differ. " +
                "Release the change under a new version (--version), or rebuild exactly what was released.");

        var done = new List<ReleaseStep>();
        foreach (var step in plan.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (step)
            {
                case DeleteAssetStep delete:
                    await publisher.DeleteAssetAsync(delete.Asset, cancellationToken);
                    Log.Status(step.Name, $"deleted ({step.Reason})");
                    break;
                case UploadAssetStep upload:
                    await UploadAsync(release, upload.Asset, cancellationToken);
                    Log.Status(step.Name, $"uploaded ({step.Reason})");
                    break;
            }
            done.Add(step);
        }

        if (done.Count > 0)
            await CheckAsync(release, assets, cancellationToken);

        var publish = release.Draft && !request.KeepDraft;
        if (request.KeepDraft && !release.Draft)
            Log.Warning($"The release {request.Tag} is already published; --draft does not turn it back into a draft.");
        if (publish || !string.Equals(Normalize(release.Body), Normalize(request.Body), StringComparison.Ordinal))
        {
            release = await publisher.UpdateReleaseAsync(release, request.Body, publish, cancellationToken);
            if (publish) Log.Information($"Published the release {request.Tag}{(release.HtmlUrl is null ? "" : ": " + release.HtmlUrl)}.");
            else Log.Information($"Updated the notes of the release {request.Tag}.");
        }
        else if (done.Count == 0)
            Log.Information($"The release {request.Tag} is up to date: nothing to change.");

        return new PublicationResult(release, plan, done, publish);
    }

    /// <summary>Plans, fetching evidence (the release's SHA256SUMS, then single assets) only when digests are missing.</summary>
    private async Task<ReleasePlan> PlanAsync(IReadOnlyList<LocalAsset> assets, IReadOnlyList<RemoteAsset> remote, CancellationToken cancellationToken)
    {
        var plan = ReleasePlanner.Plan(assets, remote);
        if (plan.IsComplete) return plan;

        var downloaded = new Dictionary<long, string>();
        IReadOnlyDictionary<string, string>? remoteSums = null;
        if (remote.FirstOrDefault(r => r.Name == Checksums.FileName && r.IsComplete) is { } sumsAsset)
        {
            var bytes = await publisher.DownloadAssetAsync(sumsAsset, cancellationToken);
            downloaded[sumsAsset.Id] = Checksums.Sha256(bytes);
            try
            {
                remoteSums = Checksums.Parse(System.Text.Encoding.UTF8.GetString(bytes), $"{Checksums.FileName} on the release");
            }
            catch (FormatException e)
            {
                Log.Warning($"{e.Message} It is not used to compare assets.");
            }
        }

        plan = ReleasePlanner.Plan(assets, remote, new RemoteEvidence(remoteSums, downloaded));
        foreach (var compare in plan.ToCompare)
            downloaded[compare.Remote!.Id] = Checksums.Sha256(await publisher.DownloadAssetAsync(compare.Remote, cancellationToken));
        return ReleasePlanner.Plan(assets, remote, new RemoteEvidence(remoteSums, downloaded));
    }

    /// <summary>
    /// Uploads; when the name is taken (an earlier attempt landed although its answer was lost, or an
    /// unfinished upload), keeps what is there if it is the same content, else replaces it once.
    /// </summary>
    private async Task UploadAsync(RemoteRelease release, LocalAsset asset, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.UploadAssetAsync(release, asset, cancellationToken);
        }
        catch (ReleaseAssetExistsException)
        {
            var current = (await publisher.ListAssetsAsync(release, cancellationToken)).FirstOrDefault(a => a.Name == asset.Name);
            if (current is { IsComplete: true } && string.Equals(current.Sha256, asset.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                Log.Verbose($"{asset.Name}: already on the release with the same sha256 (an earlier attempt landed).");
                return;
            }
            if (current is not null)
                await publisher.DeleteAssetAsync(current, cancellationToken);
            await publisher.UploadAssetAsync(release, asset, cancellationToken);
        }
    }

    /// <summary>After changing anything: every asset is there, complete, of the right size and (when reported) digest.</summary>
    private async Task CheckAsync(RemoteRelease release, IReadOnlyList<LocalAsset> assets, CancellationToken cancellationToken)
    {
        var remote = (await publisher.ListAssetsAsync(release, cancellationToken)).ToLookup(a => a.Name, StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var asset in assets)
        {
            var found = remote[asset.Name].ToArray();
            if (found.Length != 1) wrong.Add($"{asset.Name}: {found.Length} on the release");
            else if (!found[0].IsComplete) wrong.Add($"{asset.Name}: state '{found[0].State}'");
            else if (found[0].Size != asset.Size) wrong.Add($"{asset.Name}: {found[0].Size} bytes on the release, {asset.Size} here");
            else if (found[0].Sha256 is { } sha && !string.Equals(sha, asset.Sha256, StringComparison.OrdinalIgnoreCase))
                wrong.Add($"{asset.Name}: sha256 {sha} on the release, {asset.Sha256} here");
        }
        if (wrong.Count > 0)
            throw new GitHubApiException(null,
                $"After uploading, the release {release.Tag} on {publisher.Repository} does not hold what was sent: {string.Join("; ", wrong)}. " +
                "Run PublishRelease again; it replaces what differs.");
    }

    private static string Normalize(string? body) => (body ?? "").Replace("\r\n", "\n").TrimEnd();
}
