using System.Text;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Manifests;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

/// <summary>A Secret committed with values is an error, and none of its values reaches any output.</summary>
public class CommittedSecretSpecs
{
    // Made-up values that look like real keys; the base64 form is what a Secret's data holds.
    private const string PlainValue = "sk-ant-" + "api03-TESTONLY-9f8e7d6c5b4a39281706";
    private const string StringDataValue = "ghp_" + "TESTONLY0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c";
    private static readonly string Base64Value = Convert.ToBase64String(Encoding.UTF8.GetBytes(PlainValue));

    private static readonly string SecretYaml = $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: anthropic-api-key
          namespace: ambient-code
          annotations:
            note: committed by mistake
        type: Opaque
        data:
          api-key: {Base64Value}
        stringData:
          github-token: "{StringDataValue}"
        """;

    private static string[] Values => [PlainValue, Base64Value, StringDataValue];

    private static void AssertNoValueIn(string where, string text)
    {
        foreach (var value in Values)
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"A committed Secret value appears in {where}.");
    }

    [Fact]
    public void A_committed_Secret_is_reported_at_its_data_and_stringData_lines()
    {
        var copy = ShippedManifests.Copy().PinImages();
        copy.Write("base/secret.yaml", SecretYaml);

        var findings = copy.Check().Findings;

        Assert.All(findings, f => Assert.Equal("VT2101", f.RuleId));
        Assert.Equal([9, 11], findings.Select(f => f.Line));
    }

    [Fact]
    public void The_stage_puts_no_value_in_diagnostics_the_SARIF_log_or_the_failure_message()
    {
        var copy = ShippedManifests.Copy();
        copy.Write("base/secret.yaml", SecretYaml);
        var output = new StringWriter();
        var diagnostics = new List<Diagnostic>();
        var sarif = new AbsolutePath(Path.Combine(copy.Root, "artifacts", "manifests.sarif"));

        ManifestCheckReport report;
        // A masker that knows no secret: the check itself must not print them, masking is not the defence here.
        using (Log.Push(new PlainTextOutput(output), new SecretMasker(), diagnostics.Add))
            report = ManifestCheckStage.Run(new AbsolutePath(copy.Directory), new AbsolutePath(copy.Root), sarif, new ManifestCheckOptions { Release = true });
        var failure = ManifestCheckStage.FailureMessage(report, "artifacts/manifests.sarif");

        Assert.Contains(diagnostics, d => d.RuleId == "VT2101" && d.File == "components/manifests/base/secret.yaml");
        AssertNoValueIn("the console output", output.ToString());
        AssertNoValueIn("a diagnostic", string.Join("\n", diagnostics.Select(d => d.Message)));
        AssertNoValueIn("the SARIF log", File.ReadAllText(sarif));
        AssertNoValueIn("the failure message", failure);
    }

    [Fact]
    public void A_Secret_with_broken_YAML_fails_the_read_without_its_value()
    {
        var copy = ShippedManifests.Copy();
        copy.Write("base/secret.yaml", SecretYaml.Replace($"\"{StringDataValue}\"", $"\"{StringDataValue}"));
        var output = new StringWriter();

        var sarif = Path.Combine(copy.Root, "artifacts", "manifests.sarif");

        ManifestFormatException error;
        using (Log.Push(new PlainTextOutput(output), new SecretMasker()))
            error = Assert.Throws<ManifestFormatException>(() => ManifestCheckStage.Run(new AbsolutePath(copy.Directory), new AbsolutePath(copy.Root),
                new AbsolutePath(sarif), new ManifestCheckOptions()));

        Assert.Equal("components/manifests/base/secret.yaml", error.File);
        Assert.Contains("components/manifests/base/secret.yaml", File.ReadAllText(sarif));
        Reporting.Sarif.SarifSchema.AssertValid(File.ReadAllText(sarif));
        AssertNoValueIn("the exception", error.ToString());
        AssertNoValueIn("the console output", output.ToString());
        AssertNoValueIn("the SARIF log", File.ReadAllText(sarif));
    }

    private sealed class ManifestsOnlyBuild : NukeBuild, ICheckManifests;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_target_fails_the_run_and_no_host_prints_a_value(bool gitHubActions)
    {
        var copy = ShippedManifests.Copy().PinImages();
        copy.Write("base/secret.yaml", SecretYaml);
        var output = new StringWriter();
        var environment = new RunEnvironment(output, name => gitHubActions && name == "GITHUB_ACTIONS" ? "true" : null, new AbsolutePath(copy.Root), Ansi: false);

        var exitCode = await BuildRunner.RunAsync(new ManifestsOnlyBuild(), ["CheckManifests"], [], environment, CancellationToken.None);

        Assert.Equal(BuildRunner.ExitFailed, exitCode);
        var printed = output.ToString();
        Assert.Contains("VT2101", printed);
        AssertNoValueIn("the run's output", printed);
        AssertNoValueIn("the SARIF log", File.ReadAllText(Path.Combine(copy.Root, "artifacts", "manifests.sarif")));
        AssertNoValueIn("the build manifest", File.ReadAllText(Path.Combine(copy.Root, "artifacts", "images.json")));
    }
}
