using NJsonSchema;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Secrets;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tools.TruffleHog;
using Xunit;

namespace Vteam.Build.Tests.Policy;

public class SecretGateSpecs
{
    private static SecretFinding Finding(SecretVerification verification, string redacted = "AKIA****", string? file = "config/aws.env", int? line = 3)
        => new("AWS", 2, "PLAIN", verification, verification == SecretVerification.Unknown ? "lookup sts.amazonaws.com: no such host" : null,
            redacted, file, line, "0416560b1330d8ac42045813251d85c688717eaf", "dev <dev@example.com>", "file:///r", "2026-12-04", 16, "f00");

    [Fact]
    public void A_verified_secret_fails_an_unknown_one_warns_and_an_unverified_one_is_a_note()
    {
        var verdict = SecretGate.Decide([Finding(SecretVerification.Verified), Finding(SecretVerification.Unknown), Finding(SecretVerification.Unverified)], new SecretPolicy());

        Assert.False(verdict.Passed);
        Assert.Equal([DiagnosticSeverity.Error, DiagnosticSeverity.Warning, DiagnosticSeverity.Note], verdict.Diagnostics.Select(d => d.Severity));
        Assert.Equal((1, 1, 1), (verdict.Verified, verdict.Unknown, verdict.Unverified));
        Assert.All(verdict.Diagnostics, d => Assert.Equal(("config/aws.env", 3, "secret/AWS"), (d.File, d.Line, d.RuleId)));
    }

    [Fact]
    public void Unknown_secrets_pass_by_default_and_fail_when_configured()
    {
        Assert.True(SecretGate.Decide([Finding(SecretVerification.Unknown)], new SecretPolicy()).Passed);
        Assert.False(SecretGate.Decide([Finding(SecretVerification.Unknown)], new SecretPolicy(Unknown: SecretAction.Fail)).Passed);
    }

    [Fact]
    public void Nothing_found_passes()
        => Assert.True(SecretGate.Decide([], new SecretPolicy()).Passed);

    [Fact]
    public async Task The_sarif_we_write_is_valid_sarif_2_1_0_and_masks_again()
    {
        var masker = new SecretMasker();
        masker.Register("AKIA" + "QYLPMN5HHHFPZAM2");
        var findings = new[] { Finding(SecretVerification.Verified, redacted: "AKIA" + "QYLPMN5HHHFPZAM2"), Finding(SecretVerification.Unknown, file: null, line: null) };
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema("sarif-2.1.0.schema.json"));

        var sarif = SecretSarif.Serialize(SecretSarif.Build(findings, new SecretPolicy(), "3.97.0", masker), masker);

        Assert.Empty(schema.Validate(sarif));
        Assert.DoesNotContain("AKIA" + "QYLPMN5HHHFPZAM2", sarif);
        Assert.Contains("\"level\": \"error\"", sarif);
        Assert.Contains("\"level\": \"warning\"", sarif);
        Assert.Contains("\"startLine\": 3", sarif);
    }
}
