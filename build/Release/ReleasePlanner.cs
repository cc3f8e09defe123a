namespace Vteam.Build.Release;

public enum AssetAction
{
    /// <summary>The release has it with the same content.</summary>
    Keep,
    /// <summary>The release does not have it.</summary>
    Upload,
    /// <summary>The release has a different or broken one: delete it, then upload.</summary>
    Replace,
    /// <summary>Nothing tells whether the content is the same: download it and compare.</summary>
    Compare,
}

public sealed record AssetDecision(LocalAsset Local, RemoteAsset? Remote, AssetAction Action, string Reason);

public abstract record ReleaseStep(string Name, string Reason);
public sealed record DeleteAssetStep(RemoteAsset Asset, string Reason) : ReleaseStep(Asset.Name, Reason);
public sealed record UploadAssetStep(LocalAsset Asset, string Reason) : ReleaseStep(Asset.Name, Reason);

/// <summary>What is known about remote content besides the digests GitHub reports.</summary>
public sealed record RemoteEvidence(
    IReadOnlyDictionary<string, string>? RemoteChecksums = null,
    IReadOnlyDictionary<long, string>? DownloadedSha256 = null)
{
    public static readonly RemoteEvidence None = new();
}

public sealed record ReleasePlan(IReadOnlyList<AssetDecision> Decisions, IReadOnlyList<RemoteAsset> Unknown, IReadOnlyList<ReleaseStep> Steps)
{
    public IReadOnlyList<AssetDecision> ToCompare => Decisions.Where(d => d.Action == AssetAction.Compare).ToArray();
    public bool IsComplete => ToCompare.Count == 0;
    public bool ChangesAnything => Steps.Count > 0;
}

/// <summary>
/// Decides, per asset, keep / upload / replace, and orders the steps so that a run stopped at any
/// point leaves a state the next run finishes correctly.
/// <para>
/// Content is compared by sha256: GitHub's <c>digest</c> when reported; else a file we downloaded;
/// else, for an asset of the same size, the line in the SHA256SUMS we uploaded. That last one is
/// trusted because of an ordering rule kept here: SHA256SUMS (and its signature bundle) is deleted
/// before any other asset changes and uploaded after all of them, so a SHA256SUMS on the release
/// always describes the assets beside it.
/// </para>
/// </summary>
public static class ReleasePlanner
{
    /// <summary>Larger assets without a digest are replaced rather than downloaded to compare.</summary>
    public const long MaxCompareBytes = 64L * 1024 * 1024;

    public static ReleasePlan Plan(IReadOnlyList<LocalAsset> local, IReadOnlyList<RemoteAsset> remote, RemoteEvidence? evidence = null)
    {
        evidence ??= RemoteEvidence.None;
        var duplicate = local.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two release assets are named '{duplicate.Key}' ({string.Join(", ", duplicate.Select(a => a.Path))}); asset names must be unique.");

        var remoteByName = new Dictionary<string, RemoteAsset>(StringComparer.Ordinal);
        foreach (var asset in remote)
            remoteByName.TryAdd(asset.Name, asset);

        var decisions = local.Select(l => Decide(l, remoteByName.GetValueOrDefault(l.Name), evidence)).ToArray();
        var localNames = local.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = remote.Where(r => !localNames.Contains(r.Name) && r.Name != Checksums.BundleFileName).ToArray();
        var steps = decisions.Any(d => d.Action == AssetAction.Compare) ? [] : Order(decisions, remoteByName);
        return new ReleasePlan(decisions, unknown, steps);
    }

    private static AssetDecision Decide(LocalAsset local, RemoteAsset? remote, RemoteEvidence evidence)
    {
        if (remote is null) return new(local, null, AssetAction.Upload, "not on the release");
        if (!remote.IsComplete) return new(local, remote, AssetAction.Replace, $"an unfinished upload (state '{remote.State}')");

        if (remote.Sha256 is { } digest)
            return Same(digest, "GitHub's digest");
        if (evidence.DownloadedSha256?.TryGetValue(remote.Id, out var downloaded) == true)
            return Same(downloaded, "the downloaded asset");
        if (remote.Size != local.Size)
            return new(local, remote, AssetAction.Replace, $"size {remote.Size} on the release, {local.Size} here");
        if (local.Name != Checksums.FileName && evidence.RemoteChecksums?.TryGetValue(local.Name, out var listed) == true)
            return Same(listed, $"the release's {Checksums.FileName}");
        return remote.Size <= MaxCompareBytes
            ? new(local, remote, AssetAction.Compare, "no digest reported: download and compare")
            : new(local, remote, AssetAction.Replace, "no digest reported and too large to compare");

        AssetDecision Same(string sha, string source) => string.Equals(sha, local.Sha256, StringComparison.OrdinalIgnoreCase)
            ? new(local, remote, AssetAction.Keep, $"same sha256 ({source})")
            : new(local, remote, AssetAction.Replace, $"content changed (sha256 by {source})");
    }

    private static ReleaseStep[] Order(AssetDecision[] decisions, Dictionary<string, RemoteAsset> remoteByName)
    {
        var others = decisions.Where(d => d.Local.Name is not (Checksums.FileName or Checksums.BundleFileName)).ToArray();
        var sums = decisions.FirstOrDefault(d => d.Local.Name == Checksums.FileName);
        var bundle = decisions.FirstOrDefault(d => d.Local.Name == Checksums.BundleFileName);
        var remoteSums = remoteByName.GetValueOrDefault(Checksums.FileName);
        var remoteBundle = remoteByName.GetValueOrDefault(Checksums.BundleFileName);

        var othersChange = others.Any(d => d.Action != AssetAction.Keep);
        var sumsChange = othersChange || sums is { Action: not AssetAction.Keep };
        // A signature over an old SHA256SUMS is wrong for the new one, and one over the current file is
        // replaced only when the bundle itself changed.
        var bundleChange = sumsChange || bundle is { Action: not AssetAction.Keep };

        var steps = new List<ReleaseStep>();
        if (bundleChange && remoteBundle is not null)
            steps.Add(new DeleteAssetStep(remoteBundle, bundle is null ? "a signature of an older SHA256SUMS" : "re-signed with SHA256SUMS"));
        if (sumsChange && remoteSums is not null)
            steps.Add(new DeleteAssetStep(remoteSums, othersChange || sums is null ? "assets change: removed first, uploaded last" : sums.Reason));

        foreach (var decision in others)
        {
            if (decision.Action == AssetAction.Replace)
                steps.Add(new DeleteAssetStep(decision.Remote!, decision.Reason));
            if (decision.Action is AssetAction.Replace or AssetAction.Upload)
                steps.Add(new UploadAssetStep(decision.Local, decision.Reason));
        }

        if (sums is not null && sumsChange)
            steps.Add(new UploadAssetStep(sums.Local, sums.Action == AssetAction.Keep ? "uploaded again after the assets it lists" : sums.Reason));
        if (bundle is not null && bundleChange)
            steps.Add(new UploadAssetStep(bundle.Local, bundle.Action == AssetAction.Keep ? "uploaded again after SHA256SUMS" : bundle.Reason));
        return steps.ToArray();
    }
}
