using System.Security.Cryptography;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Tools;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Syft;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>GenerateSboms' stage against the strict syft fake: a valid SBOM is recorded; anything else leaves no file behind.</summary>
public class SbomStageSpecs
{
    private static (SbomStage Stage, SbomOptions Options) Arrange(string? mode = null)
    {
        var fakes = new SigningFakes(extra: mode is null ? null : new Dictionary<string, string> { ["FAKE_SYFT_MODE"] = mode });
        var options = new SbomOptions(new SyftSettings(), new AbsolutePath(Path.Combine(fakes.Directory, "artifacts", "sbom")), 2);
        return (new SbomStage(new ToolRunner(new SecretMasker()), FakeToolbox.Located("syft", fakes.Syft, "1.51.0"), options), options);
    }

    [Fact]
    public async Task Each_image_gets_a_validated_SBOM_with_its_sha256_and_package_count_recorded()
    {
        var (stage, options) = Arrange();
        var images = new[] { SigningFakes.Image("backend", 'a'), SigningFakes.Image("frontend", 'c') };

        var outcomes = await stage.GenerateAsync(images, CancellationToken.None);

        foreach (var (outcome, image) in outcomes.Zip(images))
        {
            Assert.True(outcome.Passed, outcome.Failure);
            var record = outcome.Record!;
            Assert.Equal(Path.Combine(options.Directory, $"{image.Component}.spdx.json"), record.Path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(record.Path))), record.Sha256);
            Assert.Equal(2, record.Packages);
            Assert.Equal(image.Digest, record.DescribedDigest);
            Assert.Equal("spdx-json@2.3", record.Format);
            Assert.Equal("registry:" + image.DigestReference, outcome.Source);
        }
        Assert.Equal(["backend.spdx.json", "frontend.spdx.json"], Directory.GetFiles(options.Directory).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("wrong-digest", "describes the image sha256:")]
    [InlineData("garbage", "is not JSON")]
    [InlineData("spdx22", "spdxVersion 'SPDX-2.2'")]
    [InlineData("empty", "syft wrote an empty")]
    [InlineData("fail", "syft failed with exit code 1")]
    public async Task An_invalid_or_failed_SBOM_is_rejected_with_a_clear_error_and_leaves_no_file(string mode, string expected)
    {
        var (stage, options) = Arrange(mode);
        var image = SigningFakes.Image("backend", 'a');
        Directory.CreateDirectory(options.Directory);
        var stale = Path.Combine(options.Directory, "backend.spdx.json");
        await File.WriteAllTextAsync(stale, "{\"left\":\"from an earlier run\"}");

        var outcome = await stage.GenerateAsync(image, CancellationToken.None);

        Assert.False(outcome.Passed);
        Assert.Null(outcome.Record);
        Assert.Contains(expected, outcome.Failure);
        Assert.StartsWith($"backend (registry:{image.DigestReference}): ", outcome.Failure);
        Assert.Empty(Directory.GetFiles(options.Directory));
    }

    [Fact]
    public async Task An_image_neither_pushed_nor_exported_is_skipped()
    {
        var (stage, options) = Arrange();
        var image = SigningFakes.Image("backend", 'a');
        image.Digest = null;

        var outcome = await stage.GenerateAsync(image, CancellationToken.None);

        Assert.True(outcome.Skipped);
    }
}
