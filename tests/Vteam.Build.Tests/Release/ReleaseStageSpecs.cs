using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Release;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Release;

/// <summary>ChecksumRelease's side: which files make the release, SHA256SUMS, the bundle check, the notes.</summary>
public class ReleaseStageSpecs
{
    [Fact]
    public void The_release_has_each_images_SBOM_reports_and_provenance_plus_the_report_images_json_and_SHA256SUMS()
    {
        var workspace = ReleaseWorkspace.Create();

        var release = workspace.Prepare();

        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Order(StringComparer.Ordinal), release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(workspace.Root / "artifacts/sbom/backend.spdx.json"), File.ReadAllText(release.Assets.Single(a => a.Name == "backend-sbom.spdx.json").Path));
        Assert.DoesNotContain(release.Assets, a => a.Name.Contains("trufflehog") || File.ReadAllText(a.Path).Contains("AKIA-looks-like-a-secret"));
    }

    [Fact]
    public void SHA256SUMS_lists_every_other_asset_with_its_sha256()
    {
        var release = ReleaseWorkspace.Create().Prepare();

        var sums = Checksums.Parse(File.ReadAllText(release.Assets.Single(a => a.Name == Checksums.FileName).Path));

        var others = release.Assets.Where(a => a.Name != Checksums.FileName).ToArray();
        Assert.Equal(others.Length, sums.Count);
        Assert.All(others, a => Assert.Equal(Checksums.Sha256(File.ReadAllBytes(a.Path)), sums[a.Name]));
    }

    [Fact]
    public void The_published_images_json_leaves_out_the_release_record_so_re_runs_publish_the_same_bytes()
    {
        var workspace = ReleaseWorkspace.Create();
        var first = workspace.Prepare().Assets.Single(a => a.Name == "images.json");
        workspace.Manifest.Release = new ReleaseRecord { Tag = "v1.4.0", Url = "https://example/x", Assets = ["a"] };

        var second = workspace.Prepare().Assets.Single(a => a.Name == "images.json");

        Assert.Equal(first.Sha256, second.Sha256);
        using var json = JsonDocument.Parse(File.ReadAllText(second.Path));
        Assert.False(json.RootElement.TryGetProperty("release", out _));
        Assert.Equal(2, json.RootElement.GetProperty("images").GetArrayLength());
    }

    [Fact]
    public void With_signing_configured_an_unverified_image_refuses_the_release_before_anything_is_sent()
    {
        var workspace = ReleaseWorkspace.Create(verified: false);
        var output = new StringWriter();
        using var _ = Log.Push(new PlainTextOutput(output), new SecretMasker());

        var error = Assert.Throws<InvalidOperationException>(() => workspace.Prepare(signingConfigured: true));

        Assert.Contains("refused: 2 problem(s)", error.Message);
        Assert.Contains("backend: its signature did not verify (no matching signatures)", output.ToString());
        Assert.Contains("run SignImages and VerifyImages", output.ToString());
        Assert.False(File.Exists(workspace.Artifacts / "release" / Checksums.FileName));
    }

    [Fact]
    public void Only_the_verified_images_assets_are_allowed_and_one_failed_attestation_is_enough_to_refuse()
    {
        var workspace = ReleaseWorkspace.Create();
        workspace.Manifest.Find("frontend")!.Signature!.SbomVerified = false;

        var selection = ReleaseAssetSelection.Select(workspace.Manifest, new ReleaseInputs(true, workspace.Resolve, workspace.Root / "artifacts/security-report.md", []));

        Assert.Equal("frontend: its SBOM attestation did not verify. Only verified images are published: run SignImages and VerifyImages, and fix what they report.", Assert.Single(selection.Problems));
        Assert.DoesNotContain(selection.Files, f => f.Name.StartsWith("frontend-"));
    }

    [Fact]
    public void Without_signing_configured_unsigned_images_are_released()
    {
        var workspace = ReleaseWorkspace.Create(verified: false);

        var release = workspace.Prepare(signingConfigured: false);

        Assert.Contains(release.Assets, a => a.Name == "backend-sbom.spdx.json");
    }

    [Fact]
    public void A_recorded_file_that_is_missing_is_named_with_the_target_that_writes_it()
    {
        var workspace = ReleaseWorkspace.Create();
        File.Delete(workspace.Root / "artifacts/scan/frontend.trivy.sarif");

        var selection = ReleaseAssetSelection.Select(workspace.Manifest, new ReleaseInputs(true, workspace.Resolve, workspace.Root / "artifacts/security-report.md", []));

        var problem = Assert.Single(selection.Problems);
        Assert.Contains("frontend.trivy.sarif: frontend: 'frontend-trivy.sarif' is recorded but missing. Run ScanVulnerabilities again.", problem);
    }

    [Fact]
    public void A_cosign_bundle_of_the_current_SHA256SUMS_is_published_beside_it()
    {
        var workspace = ReleaseWorkspace.Create();
        var sums = workspace.Prepare().Assets.Single(a => a.Name == Checksums.FileName);
        workspace.Write("artifacts/SHA256SUMS.sigstore.json", Bundle(sums.Sha256));

        var release = workspace.Prepare();

        Assert.Equal(Checksums.BundleFileName, release.Assets[^1].Name);
    }

    [Fact]
    public void A_cosign_bundle_of_an_older_SHA256SUMS_is_refused_with_how_to_sign_again()
    {
        var workspace = ReleaseWorkspace.Create();
        workspace.Write("artifacts/SHA256SUMS.sigstore.json", Bundle(new string('0', 64)));

        var error = Assert.Throws<InvalidOperationException>(() => workspace.Prepare());

        Assert.Contains("belongs to an older SHA256SUMS", error.Message);
        Assert.Contains("cosign sign-blob --bundle", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_bundle_is_named_in_the_error()
    {
        var error = Assert.Throws<FormatException>(() => SigstoreBundle.SignedSha256("{ not json", "/a/SHA256SUMS.sigstore.json"));

        Assert.StartsWith("/a/SHA256SUMS.sigstore.json: not a Sigstore bundle", error.Message);
    }

    [Fact]
    public void A_DSSE_bundle_does_not_say_which_digest_it_signs()
    {
        var sample = RepositoryPaths.Sample("cosign", "oci-attestation.sigstore.json");

        Assert.Null(SigstoreBundle.SignedSha256(File.ReadAllText(sample), sample));
    }

    [Theory]
    [InlineData(null, "1.4.0", null, "v1.4.0")]
    [InlineData(null, null, "2.0.0-rc.1", "v2.0.0-rc.1")]
    [InlineData("release-7", "1.4.0", null, "release-7")]
    [InlineData(null, "v1.4.0", null, "v1.4.0")]
    public void The_tag_is_the_release_tag_or_v_and_the_version(string? releaseTag, string? version, string? manifestVersion, string expected)
    {
        Assert.Equal(expected, ReleaseStage.ResolveTag(releaseTag, version, manifestVersion));
    }

    [Fact]
    public void Without_any_version_the_error_says_which_parameter_to_pass()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReleaseStage.ResolveTag(null, " ", null));

        Assert.Contains("--version", error.Message);
    }

    [Fact]
    public void The_release_notes_show_digest_signature_SBOM_packages_and_vulnerabilities_per_component()
    {
        var workspace = ReleaseWorkspace.Create();
        workspace.Manifest.Images.Add(new ImageRecord { Component = "operator" });

        GoldenFile.Verify("Release/release-notes.md", ReleaseNotes.Render(workspace.Manifest, "v1.4.0"));
    }

    private static string Bundle(string sha256Hex)
        => "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{}," +
           "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"" +
           Convert.ToBase64String(Convert.FromHexString(sha256Hex)) + "\"},\"signature\":\"MEUCIQ==\"}}";
}
