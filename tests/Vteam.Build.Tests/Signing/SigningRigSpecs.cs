using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;
using Vteam.Build.Components;
using Vteam.Build.Tests.Engine;
using Vteam.Build.Tests.Rig;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>
/// End to end on the rig: three fixture images built by the real Docker engine FROM the pinned busybox base and pushed
/// to the rig's registry, then GenerateSboms → SignImages → AttestImages → VerifyImages through the engine, air-gapped
/// (the fakes resolve every digest against the real registry; Fulcio and Rekor are unreachable).
/// </summary>
[Collection(RigCollection.Name)]
public class SigningRigSpecs(RegistryRig rig)
{
    private const string Password = "rig-signing-key-password";
    private static readonly string[] Components = ["backend", "frontend", "operator"];

    [RigFact]
    public async Task Three_images_are_built_pushed_described_signed_attested_and_verified_with_complete_records()
    {
        var fakes = new SigningFakes("3.1.2", checkRegistry: true, extra: new Dictionary<string, string> { ["FAKE_COSIGN_NO_NETWORK"] = "1" });
        var key = await fakes.KeyPairAsync("release", Password);
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        var run = Guid.NewGuid().ToString("N")[..8];
        var images = new List<ImageRecord>();
        foreach (var component in Components)
            images.Add(await BuildAndPushAsync(component, run, $"{component} {run}"));
        SigningTargetSpecs.WriteManifest(artifacts, [.. images]);

        var result = await EngineHarness.RunAsync<SigningBuild>(SigningTargetSpecs.Arguments(fakes, artifacts, key),
            new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });

        Assert.True(result.ExitCode == 0, result.Output);
        var manifest = SigningTargetSpecs.ReadManifest(artifacts);
        Assert.Equal(Components, manifest.Images.Select(i => i.Component));
        Assert.Equal(3, manifest.Images.Select(i => i.Digest).Distinct().Count());
        foreach (var image in manifest.Images)
        {
            Assert.Equal(images.Single(i => i.Component == image.Component).Digest, image.Digest);
            var sbom = image.Sbom!;
            Assert.Equal(Path.Combine(artifacts, "sbom", $"{image.Component}.spdx.json"), sbom.Path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(sbom.Path))), sbom.Sha256);
            Assert.Equal(image.Digest, sbom.DescribedDigest);
            Assert.True(sbom.Packages > 0);
            var signature = image.Signature!;
            Assert.Equal(image.Digest, signature.Digest);
            Assert.True(signature is { Mode: "air-gapped", CosignVersion: "3.1.2", Signed: true, SbomAttested: true, ProvenanceAttested: true,
                Verified: true, SbomVerified: true, ProvenanceVerified: true, Failure: null }, image.Component);
            Assert.True(File.Exists(signature.ProvenancePath));
            Assert.Contains(rig.BaseImageDigest[7..], await File.ReadAllTextAsync(signature.ProvenancePath!));
        }
        Assert.DoesNotContain(Password, result.Output);
        Assert.All(fakes.Invocations().Where(i => i.Tool == "cosign" && i.Argv[0] is "sign" or "attest"),
            call => Assert.Contains("--signing-config", call.Argv));
    }

    [RigFact]
    public async Task An_image_pushed_again_after_signing_does_not_verify_and_is_marked_for_publishing_to_refuse()
    {
        var fakes = new SigningFakes("3.1.2", checkRegistry: true, extra: new Dictionary<string, string> { ["FAKE_COSIGN_NO_NETWORK"] = "1" });
        var key = await fakes.KeyPairAsync("release", Password);
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        var run = Guid.NewGuid().ToString("N")[..8];
        SigningTargetSpecs.WriteManifest(artifacts, await BuildAndPushAsync("backend", run, "first"), await BuildAndPushAsync("frontend", run, "first"));
        var signed = await EngineHarness.RunAsync<SigningBuild>(SigningTargetSpecs.Arguments(fakes, artifacts, key), new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });
        Assert.True(signed.ExitCode == 0, signed.Output);

        // Someone rebuilds and pushes backend under the same tag: a new digest that nobody signed.
        var repushed = await BuildAndPushAsync("backend", run, "second");
        var manifestPath = Path.Combine(artifacts, "images.json");
        var manifest = SigningTargetSpecs.ReadManifest(artifacts);
        Assert.NotEqual(manifest.Images[0].Digest, repushed.Digest);
        manifest.Images[0].Digest = repushed.Digest;
        File.WriteAllText(manifestPath, System.Text.Json.JsonSerializer.Serialize(manifest, BuildManifest.JsonOptions));
        ManifestStore.For(new Vteam.Build.Engine.AbsolutePath(manifestPath)).Reload();

        var verify = await EngineHarness.RunAsync<SigningBuild>(
            SigningTargetSpecs.Arguments(fakes, artifacts, key, "--skip", "GenerateSboms", "SignImages", "AttestImages"),
            new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("1 of 2 image(s) do not verify and will not be published", verify.Output);
        var after = SigningTargetSpecs.ReadManifest(artifacts);
        Assert.False(after.Images[0].Signature!.Verified);
        Assert.Equal(repushed.Digest, after.Images[0].Signature!.Digest);
        Assert.True(after.Images[1].Signature!.Verified);
    }

    /// <summary>docker build (network none) FROM the rig's pinned base, push to the rig's registry, the digest the push reported.</summary>
    private async Task<ImageRecord> BuildAndPushAsync(string component, string run, string content)
    {
        var repository = $"{rig.RegistryHost}/vteam-signing-{run}/{component}";
        const string tag = "1.4.0";
        var dockerfile = $"FROM {rig.BaseImagePinned}\nCOPY component.txt /etc/component.txt\nUSER 1001\n";
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "component.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content + "\n")) });
        }
        context.Position = 0;
        string? error = null;
        await rig.Docker.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [$"{repository}:{tag}"], NetworkMode = "none", Dockerfile = "Dockerfile", Remove = true },
            context, [], new Dictionary<string, string>(), new Progress(m => error ??= m.Error?.Message));
        Assert.True(error is null, $"docker build of {component} failed: {error}");

        string? digest = null;
        await rig.Docker.Images.PushImageAsync($"{repository}:{tag}", new ImagePushParameters { Tag = tag }, new AuthConfig(),
            new Progress(m =>
            {
                error ??= m.Error?.Message;
                if (m.Aux?.ExtensionData?.TryGetValue("Digest", out var d) == true) digest = d?.ToString();
            }));
        Assert.True(error is null && digest is not null, $"docker push of {component} failed: {error ?? "no digest reported"}");
        return new ImageRecord
        {
            Component = component,
            Dockerfile = $"components/{component}/Dockerfile",
            Context = $"components/{component}",
            Repository = repository,
            Tags = [tag],
            Platforms = ["linux/amd64"],
            Digest = digest,
            Pushed = true,
            BaseImages = [new BaseImageRecord { Reference = rig.BaseImagePinned, Digest = rig.BaseImageDigest, Line = 1, Pinned = true }],
        };
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; build and push results must be read synchronously.</summary>
    private sealed class Progress(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
