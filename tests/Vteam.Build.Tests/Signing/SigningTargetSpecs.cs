using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Tests.Engine;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>GenerateSboms → SignImages → AttestImages → VerifyImages through the real engine, with the strict fakes.</summary>
public class SigningTargetSpecs
{
    private const string Password = "target-spec-key-password";

    internal static string WriteManifest(string artifacts, params ImageRecord[] images)
    {
        Directory.CreateDirectory(artifacts);
        var manifest = new BuildManifest
        {
            GitCommit = "0123456789abcdef0123456789abcdef01234567", Version = "1.4.0", Registry = images.FirstOrDefault()?.Repository?.Split('/')[0],
            CreatedAt = DateTimeOffset.UtcNow, Images = [.. images],
        };
        var path = Path.Combine(artifacts, "images.json");
        File.WriteAllText(path, JsonSerializer.Serialize(manifest, BuildManifest.JsonOptions));
        return path;
    }

    internal static BuildManifest ReadManifest(string artifacts)
        => JsonSerializer.Deserialize<BuildManifest>(File.ReadAllText(Path.Combine(artifacts, "images.json")), BuildManifest.JsonOptions)!;

    internal static string[] Arguments(SigningFakes fakes, string artifacts, string key, params string[] more)
        => ["VerifyImages", "--artifacts-dir", artifacts, "--syft-path", fakes.Syft, "--cosign-path", fakes.Cosign,
            "--cosign-key", key, "--signing-mode", "air-gapped",
            // One at a time: the fakes' invocation log (appended by parallel processes) is counted below.
            "--signing-parallelism", "1", "--sbom-parallelism", "1", .. more];

    [Fact]
    public async Task VerifyImages_runs_the_whole_chain_and_records_every_stage_in_images_json()
    {
        var fakes = new SigningFakes("2.6.4");
        var key = await fakes.KeyPairAsync("release", Password);
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        WriteManifest(artifacts, SigningFakes.Image("backend", 'a'), SigningFakes.Image("operator", 'c'));

        var run = await EngineHarness.RunAsync<SigningBuild>(Arguments(fakes, artifacts, key),
            new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain(Password, run.Output);
        foreach (var image in ReadManifest(artifacts).Images)
        {
            Assert.Equal(image.Digest, image.Sbom!.DescribedDigest);
            Assert.True(File.Exists(image.Sbom.Path));
            var signature = image.Signature!;
            Assert.Equal(("air-gapped", "2.6.4", image.Digest), (signature.Mode, signature.CosignVersion, signature.Digest));
            Assert.True(signature is { Signed: true, SbomAttested: true, ProvenanceAttested: true, Verified: true, SbomVerified: true, ProvenanceVerified: true });
            Assert.Null(signature.Failure);
            Assert.NotNull(signature.VerifiedAt);
            using var provenance = JsonDocument.Parse(File.ReadAllText(signature.ProvenancePath!));
            var dependencies = provenance.RootElement.GetProperty("buildDefinition").GetProperty("resolvedDependencies").EnumerateArray()
                .Select(d => d.GetProperty("digest").EnumerateObject().Single()).Select(p => $"{p.Name}:{p.Value.GetString()}").ToList();
            Assert.Equal(["gitCommit:0123456789abcdef0123456789abcdef01234567", "sha256:" + new string('b', 64)], dependencies);
        }
        var calls = fakes.Invocations().Where(i => i.Argv[0] is not ("version" or "generate-key-pair")).Select(i => $"{i.Tool} {i.Argv[0]}").ToList();
        Assert.True(calls.LastIndexOf("syft scan") < calls.IndexOf("cosign attest"), string.Join(", ", calls));
        Assert.True(calls.LastIndexOf("cosign sign") < calls.IndexOf("cosign attest"), string.Join(", ", calls));
        Assert.True(calls.LastIndexOf("cosign attest") < calls.IndexOf("cosign verify"), string.Join(", ", calls));
        Assert.Equal(2, calls.Count(c => c == "cosign verify"));
        Assert.Equal(4, calls.Count(c => c == "cosign verify-attestation"));
    }

    [Fact]
    public async Task An_image_that_does_not_verify_fails_the_run_and_is_marked_unverified_for_publishing()
    {
        var fakes = new SigningFakes("3.1.2");
        var key = await fakes.KeyPairAsync("release", Password);
        var intruder = await fakes.KeyPairAsync("intruder", "other");
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        WriteManifest(artifacts, SigningFakes.Image("backend", 'a'));

        var run = await EngineHarness.RunAsync<SigningBuild>(Arguments(fakes, artifacts, key, "--cosign-public-key", intruder[..^4] + ".pub"),
            new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("VerifyImages: 1 of 1 image(s) do not verify and will not be published", run.Output);
        var signature = ReadManifest(artifacts).Images[0].Signature!;
        Assert.True(signature is { Signed: true, SbomAttested: true, ProvenanceAttested: true });
        Assert.False(signature.Verified);
        Assert.False(signature.SbomVerified);
        Assert.Contains("no matching", signature.Failure);
        Assert.Null(signature.VerifiedAt);
    }

    [Fact]
    public async Task A_verified_record_does_not_survive_a_new_signing_run_that_fails()
    {
        var fakes = new SigningFakes("3.1.2");
        var key = await fakes.KeyPairAsync("release", Password);
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        WriteManifest(artifacts, SigningFakes.Image("backend", 'a'));
        var first = await EngineHarness.RunAsync<SigningBuild>(Arguments(fakes, artifacts, key), new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });
        Assert.True(first.ExitCode == 0, first.Output);

        var second = await EngineHarness.RunAsync<SigningBuild>(Arguments(fakes, artifacts, key), new Dictionary<string, string> { ["COSIGN_PASSWORD"] = "wrong" });

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("decryption failed", second.Output);
        var signature = ReadManifest(artifacts).Images[0].Signature!;
        Assert.False(signature.Signed);
        Assert.False(signature.Verified);
    }

    [Fact]
    public async Task An_image_without_a_pushed_digest_is_refused_by_name()
    {
        var fakes = new SigningFakes("3.1.2");
        var key = await fakes.KeyPairAsync("release", Password);
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        var tagged = SigningFakes.Image("backend", 'a');
        tagged.Digest = null;
        WriteManifest(artifacts, tagged);

        var run = await EngineHarness.RunAsync<SigningBuild>(["SignImages", "--artifacts-dir", artifacts, "--cosign-path", fakes.Cosign, "--cosign-key", key],
            new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("backend has no pushed digest. Cosign signs by digest only", run.Output);
        Assert.DoesNotContain(fakes.Invocations(), i => i.Argv[0] == "sign");
    }

    [Fact]
    public async Task On_GitHub_Actions_keyless_signing_requests_the_OIDC_token_and_verifies_this_workflow_s_identity()
    {
        const string workflowRef = "ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main";
        const string requestToken = "actions-request-token-value";
        var claims = $"{{\"iss\":\"https://token.actions.githubusercontent.com\",\"aud\":\"sigstore\",\"job_workflow_ref\":\"{workflowRef}\"}}";
        var token = "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(claims)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2lnbmF0dXJlLXZhbHVl";
        using var actions = WireMockServer.Start();
        actions.Given(Request.Create().WithPath("/oidc").UsingGet().WithParam("audience", "sigstore").WithHeader("Authorization", $"Bearer {requestToken}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { count = 1, value = token }));
        var fakes = new SigningFakes("3.1.2");
        var artifacts = Path.Combine(fakes.Directory, "artifacts");
        WriteManifest(artifacts, SigningFakes.Image("backend", 'a'));

        var run = await EngineHarness.RunAsync<SigningBuild>(
            ["VerifyImages", "--artifacts-dir", artifacts, "--syft-path", fakes.Syft, "--cosign-path", fakes.Cosign, "--signing-parallelism", "1"],
            new Dictionary<string, string>
            {
                ["GITHUB_WORKFLOW_REF"] = workflowRef, ["GITHUB_RUN_ID"] = "4242", ["GITHUB_RUN_ATTEMPT"] = "1", ["GITHUB_REF"] = "refs/heads/main",
                ["ACTIONS_ID_TOKEN_REQUEST_URL"] = actions.Url + "/oidc?api-version=2.0", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = requestToken,
            });

        Assert.True(run.ExitCode == 0, run.Output);
        var signature = ReadManifest(artifacts).Images[0].Signature!;
        Assert.True(signature is { Mode: "keyless", Signed: true, Verified: true, SbomVerified: true, ProvenanceVerified: true });
        Assert.Equal("https://github.com/" + workflowRef, signature.Identity);
        Assert.Equal("https://token.actions.githubusercontent.com", signature.Issuer);
        Assert.DoesNotContain(token, run.Output);
        Assert.DoesNotContain(requestToken, run.Output);
        var calls = fakes.Invocations().Where(i => i.Tool == "cosign").ToList();
        Assert.All(calls, call => Assert.DoesNotContain(call.Argv, a => a.Contains(token) || a.Contains(requestToken)));
        var sign = calls.Single(c => c.Argv[0] == "sign");
        Assert.DoesNotContain("--key", sign.Argv);
        Assert.Contains("workflow-run=https://github.com/ambient-code/vTeam/actions/runs/4242/attempts/1", sign.Argv);
        var provenance = File.ReadAllText(signature.ProvenancePath!);
        Assert.Contains("\"id\": \"https://github.com/" + workflowRef + "\"", provenance);
    }
}
