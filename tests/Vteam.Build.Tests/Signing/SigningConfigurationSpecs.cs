using Vteam.Build.Tools;
using Vteam.Build.Tools.Cosign;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>Choosing the signing mode and the verifier from the run's parameters and the GitHub Actions context.</summary>
public class SigningConfigurationSpecs
{
    private static readonly ToolVersion V3 = new(3, 1, 2);
    private static readonly ToolVersion V2 = new(2, 6, 4);

    private static string KeyPair()
    {
        var directory = Directory.CreateTempSubdirectory("keys-").FullName;
        File.WriteAllText(Path.Combine(directory, "cosign.key"), "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
        File.WriteAllText(Path.Combine(directory, "cosign.pub"), "-----BEGIN PUBLIC KEY-----\n");
        return Path.Combine(directory, "cosign.key");
    }

    [Fact]
    public void A_key_means_key_mode_verified_with_the_public_key_beside_it_and_the_log()
    {
        var key = KeyPair();

        var plan = SigningConfiguration.Plan(new SigningInputs { Key = key, Password = "pw" }, V3, "/sc.json");

        Assert.Equal(new CosignSigningMode.Key(new CosignKeyReference(key)), plan.Mode);
        Assert.Equal(new CosignVerifier.PublicKey(key[..^4] + ".pub", IgnoreTransparencyLog: false), plan.Verifier);
        Assert.Equal("pw", plan.Settings.Password);
        Assert.Null(plan.Settings.SigningConfig);
    }

    [Theory]
    [InlineData(3, "/sc.json")]
    [InlineData(2, null)]
    public void Offline_with_a_key_is_air_gapped_and_verification_ignores_the_log(int major, string? expectedConfig)
    {
        var plan = SigningConfiguration.Plan(new SigningInputs { Key = KeyPair(), Offline = true }, major == 3 ? V3 : V2, "/sc.json");

        Assert.IsType<CosignSigningMode.AirGapped>(plan.Mode);
        Assert.True(((CosignVerifier.PublicKey)plan.Verifier).IgnoreTransparencyLog);
        Assert.Equal(expectedConfig, plan.Settings.SigningConfig);
        Assert.Equal("", plan.Settings.Password);
    }

    [Fact]
    public void On_GitHub_Actions_without_a_key_signing_is_keyless_and_verification_defaults_to_this_workflow()
    {
        var plan = SigningConfiguration.Plan(new SigningInputs
        {
            IdentityToken = "token",
            CanRequestOidcToken = true,
            WorkflowRef = "ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main",
        }, V3, "/sc.json");

        Assert.IsType<CosignSigningMode.Keyless>(plan.Mode);
        Assert.Equal(new CosignVerifier.Certificate("https://github.com/ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main", null,
            "https://token.actions.githubusercontent.com", null), plan.Verifier);
    }

    [Fact]
    public void A_given_identity_regexp_replaces_the_default_identity()
    {
        var plan = SigningConfiguration.Plan(new SigningInputs
        {
            Mode = "keyless", IdentityToken = "t", CertificateIdentityRegexp = "^https://github.com/ambient-code/",
            WorkflowRef = "ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main",
        }, V2, null);

        Assert.Equal(new CosignVerifier.Certificate(null, "^https://github.com/ambient-code/", "https://token.actions.githubusercontent.com", null), plan.Verifier);
    }

    [Fact]
    public void A_KMS_key_verifies_with_its_own_URI()
    {
        var plan = SigningConfiguration.Plan(new SigningInputs { Key = "awskms:///alias/vteam" }, V3, null);

        Assert.Equal(new CosignVerifier.PublicKey("awskms:///alias/vteam", false), plan.Verifier);
    }

    [Fact]
    public void Every_missing_prerequisite_is_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => SigningConfiguration.Plan(new SigningInputs { Mode = "keyless" }, V3, null));

        Assert.Contains("no OIDC identity token", error.Message);
        Assert.Contains("--cosign-certificate-identity", error.Message);
        Assert.Contains("--cosign-certificate-oidc-issuer", error.Message);
    }

    [Fact]
    public void Without_a_key_or_an_OIDC_identity_signing_says_what_to_provide()
    {
        var error = Assert.Throws<ArgumentException>(() => SigningConfiguration.ResolveMode(new SigningInputs()));
        Assert.Contains("--cosign-key", error.Message);
        Assert.Contains("id-token: write", error.Message);
    }

    [Fact]
    public void An_env_key_needs_a_public_key_named_for_verification()
    {
        var error = Assert.Throws<ArgumentException>(() => SigningConfiguration.Plan(new SigningInputs { Key = "env://COSIGN_PRIVATE_KEY" }, V3, null));
        Assert.Contains("--cosign-public-key", error.Message);

        var plan = SigningConfiguration.Plan(new SigningInputs { Key = "env://COSIGN_PRIVATE_KEY", PublicKey = "env://COSIGN_PUBLIC_KEY" }, V3, null);
        Assert.Equal(new CosignVerifier.PublicKey("env://COSIGN_PUBLIC_KEY", false), plan.Verifier);
    }

    [Theory]
    [InlineData("air-gapped")]
    [InlineData("AirGapped")]
    [InlineData("air_gapped")]
    public void The_mode_parameter_accepts_the_usual_spellings(string mode)
        => Assert.Equal("air-gapped", SigningConfiguration.ResolveMode(new SigningInputs { Mode = mode }));

    [Fact]
    public void The_repository_is_read_from_the_workflow_ref()
        => Assert.Equal("ambient-code/vTeam", GitHubOidcToken.RepositoryOf("ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main"));
}
