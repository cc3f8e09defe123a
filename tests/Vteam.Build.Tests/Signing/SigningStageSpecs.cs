using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Tools;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Cosign;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>
/// Sign, attest and verify through the runner against the strict cosign fake, which binds each signature to the
/// digest and the key: so a re-pushed image or another key really fails, in cosign v2 and v3.
/// </summary>
public class SigningStageSpecs
{
    private const string Password = "pa55-w0rd-for-the-key";

    private static async Task<(SigningStage Stage, SigningPlan Plan, SigningFakes Fakes, string Key)> ArrangeAsync(string version, string mode = "air-gapped")
    {
        var fakes = new SigningFakes(version);
        var key = await fakes.KeyPairAsync("release", Password);
        var toolVersion = ToolVersion.Parse(version);
        var plan = SigningConfiguration.Plan(new SigningInputs { Mode = mode, Key = key, Password = Password }, toolVersion,
            Path.Combine(fakes.Directory, "signing-config.json"));
        if (plan.Settings.SigningConfig is { } config) File.WriteAllText(config, CosignCommands.AirGappedSigningConfig);
        var runner = new ToolRunner(new SecretMasker());
        runner.Masker.Register(Password);
        return (new SigningStage(runner, FakeToolbox.Located("cosign", fakes.Cosign, version)), plan, fakes, key);
    }

    private static async Task AttestBothAsync(SigningStage stage, SigningPlan plan, ImageRecord image, string directory)
    {
        var sbom = Path.Combine(directory, $"{image.Component}.spdx.json");
        await File.WriteAllTextAsync(sbom, await SpdxValidatorSpecs.FakeSbomAsync(image.DigestReference!));
        var provenance = Path.Combine(directory, $"{image.Component}.slsa.json");
        await File.WriteAllTextAsync(provenance, "{\"buildDefinition\":{},\"runDetails\":{}}");
        Assert.Null((await stage.AttestAsync(image, plan, sbom, CosignCommands.SpdxJsonType, CancellationToken.None)).Failure);
        Assert.Null((await stage.AttestAsync(image, plan, provenance, CosignCommands.SlsaProvenance1Type, CancellationToken.None)).Failure);
    }

    [Theory]
    [InlineData("2.6.4")]
    [InlineData("3.1.2")]
    public async Task Air_gapped_signing_and_attesting_verify_for_the_same_digest_and_key(string version)
    {
        var (stage, plan, fakes, _) = await ArrangeAsync(version);
        // One at a time: FAKE_TOOLS_LOG appends from parallel processes can lose lines, and this test counts them.
        plan = plan with { Parallelism = 1 };
        ImageRecord[] images = [SigningFakes.Image("backend", 'a'), SigningFakes.Image("frontend", 'c')];

        var signed = await stage.SignAsync(images, plan, [new("org.opencontainers.image.revision", "abc")], CancellationToken.None);
        foreach (var image in images) await AttestBothAsync(stage, plan, image, fakes.Directory);
        var verified = await stage.VerifyAsync(images, plan, CancellationToken.None);

        Assert.All(signed, s => Assert.Null(s.Failure));
        Assert.All(verified, v => Assert.True(v.Verified, v.Failure));
        var cosignCalls = fakes.Invocations().Where(i => i.Tool == "cosign" && i.Argv[0] != "generate-key-pair" && i.Argv[0] != "version").ToList();
        Assert.Equal(2 + 4 + 6, cosignCalls.Count);
        Assert.All(cosignCalls, call =>
        {
            Assert.Contains("COSIGN_PASSWORD", call.Environment);
            Assert.DoesNotContain(call.Argv, a => a.Contains(Password));
        });
        Assert.Contains(cosignCalls, c => c.Argv[0] == "sign" && c.Argv.Contains(version.StartsWith('2') ? "--tlog-upload=false" : "--signing-config"));
    }

    [Theory]
    [InlineData("2.6.4")]
    [InlineData("3.1.2")]
    public async Task A_re_pushed_image_has_a_new_digest_and_no_signature(string version)
    {
        var (stage, plan, fakes, _) = await ArrangeAsync(version);
        var image = SigningFakes.Image("backend", 'a');
        await stage.SignAsync([image], plan, [], CancellationToken.None);
        await AttestBothAsync(stage, plan, image, fakes.Directory);

        image.Digest = CosignOutputSpecs.Digest('e');
        var outcome = Assert.Single(await stage.VerifyAsync([image], plan, CancellationToken.None));

        Assert.False(outcome.Verified);
        Assert.False(outcome.Signature.Verified);
        Assert.Contains(version.StartsWith('2') ? "exit code 10: the image has no signature" : "no signatures found", outcome.Signature.Detail);
        Assert.False(outcome.Sbom.Verified);
        Assert.False(outcome.Provenance.Verified);
    }

    [Theory]
    [InlineData("2.6.4")]
    [InlineData("3.1.2")]
    public async Task Another_key_does_not_verify(string version)
    {
        var (stage, plan, fakes, _) = await ArrangeAsync(version);
        var image = SigningFakes.Image("backend", 'a');
        await stage.SignAsync([image], plan, [], CancellationToken.None);
        await AttestBothAsync(stage, plan, image, fakes.Directory);
        var other = await fakes.KeyPairAsync("intruder", "other");

        var outcome = Assert.Single(await stage.VerifyAsync([image],
            plan with { Verifier = new CosignVerifier.PublicKey(other[..^4] + ".pub", IgnoreTransparencyLog: true) }, CancellationToken.None));

        Assert.False(outcome.Signature.Verified);
        Assert.False(outcome.Sbom.Verified);
        Assert.False(outcome.Provenance.Verified);
        Assert.Contains("no matching", outcome.Failure);
    }

    [Fact]
    public async Task On_cosign_v3_an_image_with_only_attestations_is_not_signed_although_verify_exits_0()
    {
        var (stage, plan, fakes, _) = await ArrangeAsync("3.1.2");
        var image = SigningFakes.Image("backend", 'a');
        await AttestBothAsync(stage, plan, image, fakes.Directory);

        var outcome = Assert.Single(await stage.VerifyAsync([image], plan, CancellationToken.None));

        Assert.True(outcome.Sbom.Verified && outcome.Provenance.Verified);
        Assert.False(outcome.Signature.Verified);
        Assert.Contains("none is an image signature", outcome.Signature.Detail);
        Assert.False(outcome.Verified);
    }

    [Fact]
    public async Task Signatures_made_without_the_transparency_log_do_not_verify_when_the_log_is_required()
    {
        var (stage, plan, _, _) = await ArrangeAsync("3.1.2");
        var image = SigningFakes.Image("backend", 'a');
        await stage.SignAsync([image], plan, [], CancellationToken.None);

        var strict = plan with { Verifier = ((CosignVerifier.PublicKey)plan.Verifier) with { IgnoreTransparencyLog = false } };
        var outcome = Assert.Single(await stage.VerifyAsync([image], strict, CancellationToken.None));

        Assert.Contains("transparency log", outcome.Signature.Detail);
    }

    [Fact]
    public async Task A_wrong_password_fails_signing_with_cosign_s_reason_and_the_password_masked()
    {
        var (stage, plan, _, _) = await ArrangeAsync("3.1.2");
        var image = SigningFakes.Image("backend", 'a');

        var outcome = Assert.Single(await stage.SignAsync([image], plan with { Settings = plan.Settings with { Password = "not-" + Password } }, [], CancellationToken.None));

        Assert.Contains("decryption failed", outcome.Failure);
        Assert.Contains("exit code 1", outcome.Failure);
        Assert.DoesNotContain(Password, outcome.Failure);
    }

    [Fact]
    public async Task Keyless_signing_verifies_only_for_the_workflow_identity_and_issuer_of_the_token()
    {
        var fakes = new SigningFakes("3.1.2");
        var claims = "{\"iss\":\"https://token.actions.githubusercontent.com\",\"sub\":\"repo:ambient-code/vTeam:ref:refs/heads/main\",\"job_workflow_ref\":\"ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main\"}";
        var token = "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(claims)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";
        var plan = SigningConfiguration.Plan(new SigningInputs
        {
            IdentityToken = token, CanRequestOidcToken = true, WorkflowRef = "ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main",
        }, new ToolVersion(3, 1, 2), null);
        var runner = new ToolRunner(new SecretMasker());
        var stage = new SigningStage(runner, FakeToolbox.Located("cosign", fakes.Cosign, "3.1.2"));
        var image = SigningFakes.Image("backend", 'a');

        Assert.Null(Assert.Single(await stage.SignAsync([image], plan, [], CancellationToken.None)).Failure);
        await AttestBothAsync(stage, plan, image, fakes.Directory);
        var good = Assert.Single(await stage.VerifyAsync([image], plan, CancellationToken.None));
        var forked = plan with { Verifier = new CosignVerifier.Certificate("https://github.com/someone-else/vTeam/.github/workflows/secure.yml@refs/heads/main", null, GitHubOidcToken.Issuer, null) };
        var bad = Assert.Single(await stage.VerifyAsync([image], forked, CancellationToken.None));

        Assert.True(good.Verified, good.Failure);
        Assert.False(bad.Signature.Verified);
        Assert.Contains("none of the expected identities matched", bad.Signature.Detail);
        Assert.All(fakes.Invocations().Where(i => i.Tool == "cosign"), call => Assert.DoesNotContain(call.Argv, a => a.Contains(token)));
    }
}
