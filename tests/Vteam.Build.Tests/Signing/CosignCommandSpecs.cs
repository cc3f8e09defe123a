using Vteam.Build.Tests.Tools;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Cosign;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>The exact argv and environment of every cosign mode, v2.6 and v3.1, against tool-contracts.md §3 and §6.</summary>
public class CosignCommandSpecs
{
    internal const string Digest = "sha256:9e7a3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5df81";
    internal const string Image = "127.0.0.1:5000/vteam/backend@" + Digest;
    internal const string Password = "correct-horse-battery";
    internal const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuIn0.c2lnbmF0dXJl";

    private static readonly CosignSettings V2 = new() { Version = new ToolVersion(2, 6, 4), Password = Password, IdentityToken = Token };
    private static readonly CosignSettings V3 = new() { Version = new ToolVersion(3, 1, 2), Password = Password, IdentityToken = Token };
    private static readonly CosignKeyReference KeyFile = new("/keys/cosign.key");

    private static string[] Argv(ToolInvocation invocation) => TrivyCommandSpecs.SplitArguments(invocation.Command.Arguments);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Key_signing_passes_the_key_and_yes_and_signs_the_digest_with_the_transparency_log_on(int major)
    {
        var settings = major == 2 ? V2 : V3;
        var invocation = CosignCommands.Sign("/bin/cosign", settings, new CosignSigningMode.Key(KeyFile), [Image],
            [new("org.opencontainers.image.revision", "abc123"), new("org.opencontainers.image.version", "1.4.0")]);

        Assert.Equal(["sign", "--yes", "--key", "/keys/cosign.key", "-a", "org.opencontainers.image.revision=abc123",
            "-a", "org.opencontainers.image.version=1.4.0", Image], Argv(invocation));
        Assert.Equal("/bin/cosign", invocation.Command.TargetFilePath);
        Assert.Equal(Password, invocation.SecretEnvironment!["COSIGN_PASSWORD"]);
        Assert.False(invocation.SecretEnvironment.ContainsKey("SIGSTORE_ID_TOKEN"));
    }

    [Fact]
    public void Air_gapped_on_cosign_v2_turns_the_transparency_log_off_with_tlog_upload_false()
    {
        var argv = Argv(CosignCommands.Sign("cosign", V2, new CosignSigningMode.AirGapped(KeyFile), [Image]));

        Assert.Equal(["sign", "--yes", "--key", "/keys/cosign.key", "--tlog-upload=false", Image], argv);
    }

    [Fact]
    public void Air_gapped_on_cosign_v3_uses_a_signing_config_without_log_services_and_never_tlog_upload_false_alone()
    {
        var argv = Argv(CosignCommands.Sign("cosign", V3 with { SigningConfig = "/r/.nuke/temp/cosign/sc.json" }, new CosignSigningMode.AirGapped(KeyFile), [Image]));

        Assert.Equal(["sign", "--yes", "--key", "/keys/cosign.key", "--signing-config", "/r/.nuke/temp/cosign/sc.json", Image], argv);
        Assert.DoesNotContain("--tlog-upload=false", argv);
        Assert.DoesNotContain("--use-signing-config", argv);
    }

    [Fact]
    public void Air_gapped_on_cosign_v3_without_a_config_file_switches_the_signing_config_off_before_the_tlog()
    {
        var argv = Argv(CosignCommands.Sign("cosign", V3, new CosignSigningMode.AirGapped(KeyFile), [Image]));

        Assert.Equal(["sign", "--yes", "--key", "/keys/cosign.key", "--use-signing-config=false", "--tlog-upload=false", Image], argv);
    }

    [Fact]
    public void The_air_gapped_signing_config_lists_no_transparency_log_no_timestamp_authority_and_no_CA()
    {
        using var config = System.Text.Json.JsonDocument.Parse(CosignCommands.AirGappedSigningConfig);
        var root = config.RootElement;

        Assert.Equal("application/vnd.dev.sigstore.signingconfig.v0.2+json", root.GetProperty("mediaType").GetString());
        foreach (var services in new[] { "rekorTlogUrls", "tsaUrls", "caUrls" })
            Assert.Equal(0, root.GetProperty(services).GetArrayLength());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Keyless_signing_has_no_key_and_gets_the_OIDC_token_only_through_SIGSTORE_ID_TOKEN(int major)
    {
        var invocation = CosignCommands.Sign("cosign", major == 2 ? V2 : V3, new CosignSigningMode.Keyless(), [Image]);

        Assert.Equal(["sign", "--yes", Image], Argv(invocation));
        Assert.Equal(Token, invocation.SecretEnvironment!["SIGSTORE_ID_TOKEN"]);
        Assert.True(invocation.SecretEnvironment.ContainsKey("COSIGN_PASSWORD"));
    }

    [Fact]
    public void Keyless_signing_without_a_token_is_refused_before_cosign_would_open_a_browser()
    {
        var error = Assert.Throws<ArgumentException>(() => CosignCommands.Sign("cosign", V3 with { IdentityToken = null }, new CosignSigningMode.Keyless(), [Image]));
        Assert.Contains("id-token: write", error.Message);
    }

    [Theory]
    [InlineData("env://COSIGN_PRIVATE_KEY")]
    [InlineData("awskms://localhost:4566/alias/vteam")]
    [InlineData("gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k")]
    [InlineData("hashivault://vteam")]
    public void A_key_from_the_environment_or_a_KMS_is_passed_as_its_reference(string key)
    {
        var argv = Argv(CosignCommands.Sign("cosign", V3, new CosignSigningMode.Key(new CosignKeyReference(key)), [Image]));

        Assert.Equal(["sign", "--yes", "--key", key, Image], argv);
        Assert.Equal(key.StartsWith("env://", StringComparison.Ordinal), new CosignKeyReference(key).IsEnvironment);
        Assert.Equal(!key.StartsWith("env://", StringComparison.Ordinal), new CosignKeyReference(key).IsKms);
    }

    [Fact]
    public void Several_images_are_signed_in_one_call()
    {
        var other = "127.0.0.1:5000/vteam/frontend@sha256:" + new string('1', 64);
        Assert.Equal([Image, other], Argv(CosignCommands.Sign("cosign", V3, new CosignSigningMode.Key(KeyFile), [Image, other]))[^2..]);
    }

    [Theory]
    [InlineData(2, new[] { "attest", "--yes", "--key", "/keys/cosign.key", "--tlog-upload=false", "--predicate", "/r/artifacts/sbom/backend.spdx.json", "--type", "spdxjson", Image })]
    [InlineData(3, new[] { "attest", "--yes", "--key", "/keys/cosign.key", "--signing-config", "/sc.json", "--predicate", "/r/artifacts/sbom/backend.spdx.json", "--type", "spdxjson", Image })]
    public void The_SBOM_is_attested_as_spdxjson_on_the_digest(int major, string[] expected)
    {
        var settings = major == 2 ? V2 : V3 with { SigningConfig = "/sc.json" };
        var argv = Argv(CosignCommands.Attest("cosign", settings, new CosignSigningMode.AirGapped(KeyFile), Image, "/r/artifacts/sbom/backend.spdx.json", "spdxjson"));

        Assert.Equal(expected, argv);
    }

    [Fact]
    public void Provenance_is_attested_as_slsaprovenance1()
    {
        var argv = Argv(CosignCommands.Attest("cosign", V3, new CosignSigningMode.Keyless(), Image, "/p.json", CosignCommands.SlsaProvenance1Type));

        Assert.Equal(["attest", "--yes", "--predicate", "/p.json", "--type", "slsaprovenance1", Image], argv);
    }

    [Fact]
    public void Verification_with_a_key_of_air_gapped_signatures_ignores_the_transparency_log()
    {
        var invocation = CosignCommands.Verify("cosign", V3, new CosignVerifier.PublicKey("/keys/cosign.pub", IgnoreTransparencyLog: true), Image);

        Assert.Equal(["verify", "--key", "/keys/cosign.pub", "--insecure-ignore-tlog", "--output", "json", Image], Argv(invocation));
        Assert.Equal(CosignCommands.VerifyExitCodes, invocation.ExitCodes);
        Assert.Equal([1, 10, 11, 12, 13], invocation.ExitCodes.Findings.Order());
        Assert.Contains("no signature matches", invocation.ExitCodes.Describe(12));
    }

    [Fact]
    public void Keyless_verification_names_the_identity_and_the_issuer()
    {
        var verifier = new CosignVerifier.Certificate("https://github.com/ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main", null,
            "https://token.actions.githubusercontent.com", null);

        Assert.Equal(["verify", "--certificate-identity", "https://github.com/ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main",
            "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com", "--output", "json", Image],
            Argv(CosignCommands.Verify("cosign", V2, verifier, Image)));
    }

    [Fact]
    public void Keyless_verification_can_match_the_identity_and_issuer_by_regexp()
    {
        var verifier = new CosignVerifier.Certificate(null, "^https://github.com/ambient-code/", null, "^https://token\\.actions\\.");

        Assert.Equal(["verify-attestation", "--certificate-identity-regexp", "^https://github.com/ambient-code/",
            "--certificate-oidc-issuer-regexp", "^https://token\\.actions\\.", "--type", "slsaprovenance1", Image],
            Argv(CosignCommands.VerifyAttestation("cosign", V3, verifier, Image, "slsaprovenance1")));
    }

    [Fact]
    public void Keyless_verification_without_an_issuer_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Argv(CosignCommands.Verify("cosign", V3, new CosignVerifier.Certificate("me", null, null, null), Image)));
        Assert.Contains("OIDC issuer", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/vteam/backend:1.4.0")]
    [InlineData("127.0.0.1:5000/vteam/backend")]
    [InlineData("127.0.0.1:5000/vteam/backend:1.4.0@sha256:abc")]
    [InlineData("sha256:9e7a3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5df81")]
    public void Every_cosign_command_refuses_a_tag_where_a_digest_is_needed(string reference)
    {
        var key = new CosignSigningMode.Key(KeyFile);
        var verifier = new CosignVerifier.PublicKey("/k.pub", false);
        Action[] commands =
        [
            () => CosignCommands.Sign("cosign", V3, key, [reference]),
            () => CosignCommands.Sign("cosign", V3, key, [Image, reference]),
            () => CosignCommands.Attest("cosign", V3, key, reference, "/p.json", "spdxjson"),
            () => CosignCommands.Verify("cosign", V3, verifier, reference),
            () => CosignCommands.VerifyAttestation("cosign", V3, verifier, reference, "spdxjson"),
        ];
        foreach (var command in commands)
        {
            var error = Assert.Throws<ArgumentException>(command);
            Assert.Contains("by digest only", error.Message);
            Assert.Contains(reference, error.Message);
        }
    }

    /// <summary>Every command the adapter can build, in every mode and version.</summary>
    public static TheoryData<string, ToolInvocation> EveryCommand()
    {
        var data = new TheoryData<string, ToolInvocation>();
        var verifiers = new CosignVerifier[]
        {
            new CosignVerifier.PublicKey("/keys/cosign.pub", true), new CosignVerifier.PublicKey("env://COSIGN_PUBLIC_KEY", false),
            new CosignVerifier.Certificate("id", null, "https://issuer", null),
        };
        foreach (var settings in new[] { V2, V3, V3 with { SigningConfig = "/sc.json" } })
        {
            var name = $"v{settings.Version}{(settings.SigningConfig is null ? "" : "+config")}";
            foreach (var mode in new CosignSigningMode[] { new CosignSigningMode.Key(KeyFile), new CosignSigningMode.AirGapped(new("env://COSIGN_PRIVATE_KEY")), new CosignSigningMode.Keyless() })
            {
                data.Add($"{name} sign {mode.Name}", CosignCommands.Sign("cosign", settings, mode, [Image], [new("run", "https://github.com/o/r/actions/runs/1")]));
                data.Add($"{name} attest spdx {mode.Name}", CosignCommands.Attest("cosign", settings, mode, Image, "/s.json", "spdxjson"));
                data.Add($"{name} attest slsa {mode.Name}", CosignCommands.Attest("cosign", settings, mode, Image, "/p.json", "slsaprovenance1"));
            }
            foreach (var verifier in verifiers)
            {
                data.Add($"{name} verify {verifier.GetType().Name}", CosignCommands.Verify("cosign", settings, verifier, Image));
                data.Add($"{name} verify-attestation {verifier.GetType().Name}", CosignCommands.VerifyAttestation("cosign", settings, verifier, Image, "spdxjson"));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void No_secret_is_ever_on_the_command_line_and_the_password_always_goes_by_environment(string name, ToolInvocation invocation)
    {
        var argv = string.Join(' ', Argv(invocation));

        Assert.DoesNotContain(Password, argv);
        Assert.DoesNotContain(Token, argv);
        Assert.DoesNotContain("COSIGN_PASSWORD", argv);
        Assert.DoesNotContain("--identity-token", argv);
        Assert.DoesNotContain("--registry-password", argv);
        Assert.True(invocation.SecretEnvironment?.ContainsKey("COSIGN_PASSWORD") == true, $"{name}: COSIGN_PASSWORD is not set, so cosign would read the password from stdin");
        Assert.DoesNotContain(invocation.Command.EnvironmentVariables.Values, v => v == Password || v == Token);
        Assert.DoesNotContain(Password, invocation.Describe());
        Assert.StartsWith(name.Contains("verify") ? "verify" : name.Contains("attest") ? "attest" : "sign", argv);
        if (name.Contains("sign ") || name.Contains("attest ")) Assert.Contains("--yes", argv);
    }

    [Theory]
    [InlineData("GitVersion:    v3.1.2\nGitCommit:     d6d86c2\nGoVersion:     go1.25.1\n", 3, 1, 2)]
    [InlineData("  ______   ______\ncosign: A tool for Container Signing\n\nGitVersion:    v2.6.4\nGitTreeState:  clean\n", 2, 6, 4)]
    public void The_cosign_version_is_read_from_the_GitVersion_line(string output, int major, int minor, int patch)
    {
        Assert.Equal(new ToolVersion(major, minor, patch), CosignOutput.ParseVersion(output));
        Assert.True(ToolVersion.TryFind(output, out var found) && found == new ToolVersion(major, minor, patch), "the locator's generic version scan agrees");
    }

    [Fact]
    public void A_version_output_without_GitVersion_is_an_error()
        => Assert.Throws<FormatException>(() => CosignOutput.ParseVersion("Error: unknown flag: --version"));
}
