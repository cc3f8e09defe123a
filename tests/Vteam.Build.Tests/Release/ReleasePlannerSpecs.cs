using Vteam.Build.Release;
using Xunit;

namespace Vteam.Build.Tests.Release;

public class ReleasePlannerSpecs
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = new('b', 64);
    private static readonly string ShaS = new('5', 64);

    private static LocalAsset Local(string name, string sha, long size = 10) => new(name, "/x/" + name, size, sha, "application/json");
    private static RemoteAsset Remote(long id, string name, string? sha, long size = 10, string state = "uploaded")
        => new(id, name, size, state, sha is null ? null : "sha256:" + sha);

    [Fact]
    public void An_asset_with_the_same_digest_is_kept_and_nothing_is_done()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA), Local(Checksums.FileName, ShaS)], [Remote(1, "a.json", ShaA), Remote(2, Checksums.FileName, ShaS)]);

        Assert.All(plan.Decisions, d => Assert.Equal(AssetAction.Keep, d.Action));
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void A_missing_asset_is_uploaded_and_a_changed_one_replaced()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA), Local("b.json", ShaB)], [Remote(1, "a.json", ShaB)]);

        Assert.Equal([AssetAction.Replace, AssetAction.Upload], plan.Decisions.Select(d => d.Action));
        Assert.Equal(["delete a.json", "upload a.json", "upload b.json"], Describe(plan));
    }

    [Fact]
    public void A_digest_in_upper_case_hex_still_matches()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA)], [new RemoteAsset(1, "a.json", 10, "uploaded", "sha256:" + ShaA.ToUpperInvariant())]);

        Assert.Equal(AssetAction.Keep, Assert.Single(plan.Decisions).Action);
    }

    [Fact]
    public void An_unfinished_upload_is_replaced_even_with_the_right_digest()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA)], [Remote(1, "a.json", ShaA, state: "open")]);

        Assert.Equal(AssetAction.Replace, Assert.Single(plan.Decisions).Action);
    }

    [Fact]
    public void Without_a_digest_a_different_size_means_replace()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA, size: 10)], [Remote(1, "a.json", null, size: 11)]);

        Assert.Equal(AssetAction.Replace, Assert.Single(plan.Decisions).Action);
    }

    [Fact]
    public void Without_a_digest_the_same_size_and_the_releases_SHA256SUMS_decide()
    {
        var evidence = new RemoteEvidence(new Dictionary<string, string> { ["a.json"] = ShaA, ["b.json"] = ShaA });

        var plan = ReleasePlanner.Plan([Local("a.json", ShaA), Local("b.json", ShaB)], [Remote(1, "a.json", null), Remote(2, "b.json", null)], evidence);

        Assert.Equal([AssetAction.Keep, AssetAction.Replace], plan.Decisions.Select(d => d.Action));
    }

    [Fact]
    public void Without_a_digest_or_checksums_the_asset_must_be_downloaded_and_no_step_is_planned_yet()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA)], [Remote(7, "a.json", null)]);

        Assert.False(plan.IsComplete);
        Assert.Equal(AssetAction.Compare, Assert.Single(plan.ToCompare).Action);
        Assert.Empty(plan.Steps);

        var compared = ReleasePlanner.Plan([Local("a.json", ShaA)], [Remote(7, "a.json", null)], new RemoteEvidence(DownloadedSha256: new Dictionary<long, string> { [7] = ShaA }));
        Assert.Equal(AssetAction.Keep, Assert.Single(compared.Decisions).Action);
    }

    [Fact]
    public void A_large_asset_without_a_digest_is_replaced_rather_than_downloaded()
    {
        var size = ReleasePlanner.MaxCompareBytes + 1;

        var plan = ReleasePlanner.Plan([Local("big.tar", ShaA, size)], [Remote(1, "big.tar", null, size)]);

        Assert.Equal(AssetAction.Replace, Assert.Single(plan.Decisions).Action);
    }

    [Fact]
    public void The_checksums_are_removed_before_any_asset_changes_and_uploaded_after_all_of_them()
    {
        var plan = ReleasePlanner.Plan(
            [Local("a.json", ShaB), Local("b.json", ShaB), Local(Checksums.FileName, ShaS), Local(Checksums.BundleFileName, ShaA)],
            [Remote(1, "a.json", ShaA), Remote(2, "b.json", ShaB), Remote(3, Checksums.FileName, ShaS), Remote(4, Checksums.BundleFileName, ShaA)]);

        Assert.Equal(
            ["delete SHA256SUMS.sigstore.json", "delete SHA256SUMS", "delete a.json", "upload a.json", "upload SHA256SUMS", "upload SHA256SUMS.sigstore.json"],
            Describe(plan));
    }

    [Fact]
    public void A_signature_bundle_of_an_older_SHA256SUMS_is_deleted_when_no_new_one_exists()
    {
        var plan = ReleasePlanner.Plan(
            [Local("a.json", ShaA), Local(Checksums.FileName, ShaB)],
            [Remote(1, "a.json", ShaA), Remote(3, Checksums.FileName, ShaS), Remote(4, Checksums.BundleFileName, ShaA)]);

        Assert.Equal(["delete SHA256SUMS.sigstore.json", "delete SHA256SUMS", "upload SHA256SUMS"], Describe(plan));
        Assert.Empty(plan.Unknown);
    }

    [Fact]
    public void A_bundle_over_an_unchanged_SHA256SUMS_is_left_alone()
    {
        var plan = ReleasePlanner.Plan(
            [Local("a.json", ShaA), Local(Checksums.FileName, ShaS)],
            [Remote(1, "a.json", ShaA), Remote(3, Checksums.FileName, ShaS), Remote(4, Checksums.BundleFileName, ShaA)]);

        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Assets_this_build_does_not_make_are_reported_and_left_alone()
    {
        var plan = ReleasePlanner.Plan([Local("a.json", ShaA)], [Remote(1, "a.json", ShaA), Remote(9, "notes.pdf", ShaB)]);

        Assert.Equal("notes.pdf", Assert.Single(plan.Unknown).Name);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Two_local_assets_with_one_name_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ReleasePlanner.Plan([Local("a.json", ShaA), Local("a.json", ShaB)], []));

        Assert.Contains("'a.json'", error.Message);
    }

    private static string[] Describe(ReleasePlan plan) => plan.Steps.Select(s => s switch
    {
        DeleteAssetStep d => $"delete {d.Name}",
        UploadAssetStep u => $"upload {u.Name}",
        _ => "?",
    }).ToArray();
}
