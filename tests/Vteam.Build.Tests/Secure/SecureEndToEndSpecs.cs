using Vteam.Build.Tests.Rig;
using Xunit;

namespace Vteam.Build.Tests.Secure;

/// <summary>./build.sh Secure on fixture components, the rig's engine and registry, and the strict fakes on PATH.</summary>
[Collection(RigCollection.Name)]
public class SecureEndToEndSpecs(RegistryRig rig)
{
    [RigFact]
    public async Task Secure_runs_the_whole_chain_and_writes_a_complete_report()
    {
        var fixture = new SecureFixture(rig, ["alpha", "beta", "gamma"]);
        await fixture.CommitAsync();
        var key = await fixture.KeyPairAsync("release");

        var run = await fixture.BuildAsync(["Secure", .. fixture.CommonArguments(key)]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var kpis = fixture.KpiStatuses();
        Assert.All(kpis, k => Assert.True(k.Value == "pass", $"{k.Key} is {k.Value}\n{run.Output}"));
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Artifacts, "images.json")));
        var images = manifest.RootElement.GetProperty("images").EnumerateArray().ToArray();
        Assert.Equal(["alpha", "beta", "gamma"], images.Select(i => i.GetProperty("component").GetString()).Order());
        Assert.All(images, image =>
        {
            Assert.StartsWith("sha256:", image.GetProperty("digest").GetString());
            Assert.True(image.GetProperty("scan").GetProperty("passed").GetBoolean());
            Assert.True(image.GetProperty("sbom").GetProperty("packages").GetInt32() >= 0);
            Assert.True(image.GetProperty("signature").GetProperty("verified").GetBoolean());
            Assert.True(image.GetProperty("signature").GetProperty("sbomVerified").GetBoolean());
            Assert.True(image.GetProperty("signature").GetProperty("provenanceVerified").GetBoolean());
        });
        foreach (var file in new[] { "security-report.md", "security-report.html", "security-report.json", "security-report.sarif" })
            Assert.True(File.Exists(Path.Combine(fixture.Artifacts, file)), file);
        Assert.Empty(Reporting.SchemaValidation.SarifErrors(File.ReadAllText(Path.Combine(fixture.Artifacts, "security-report.sarif"))));
        Assert.DoesNotContain(SecureFixture.Password, run.Output + run.Error);
    }

    [RigFact]
    public async Task One_planted_problem_of_each_kind_fails_the_run_and_the_report_lists_each()
    {
        // An AWS-shaped key, made at run time so that no such string is committed.
        var awsKey = "AKIA" + string.Concat(Enumerable.Repeat("QX7Z", 4));
        var fixture = new SecureFixture(rig, ["alpha", "beta"], new Dictionary<string, string>
        {
            ["FAKE_TRIVY_MODE"] = "critical",
            ["FAKE_TRIVY_MATCH"] = "vteam_alpha",
            ["FAKE_TRUFFLEHOG_PLANT"] = awsKey,
            ["FAKE_TRUFFLEHOG_VERIFY"] = "verified",
        });
        fixture.WriteDockerfile("gamma", $"FROM {rig.BaseImage}\nUSER 1001\n");
        File.WriteAllText(Path.Combine(fixture.Root, "deploy.env"), $"AWS_ACCESS_KEY_ID={awsKey}\n");
        fixture.EditManifest("base/backend-api.yaml", text => text.Replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: false\n            privileged: true"));
        await fixture.CommitAsync();
        var key = await fixture.KeyPairAsync("release");
        var otherKey = await fixture.KeyPairAsync("someone-else");

        var run = await fixture.BuildAsync(["Secure", "--continue", "--allow-unpinned", .. fixture.CommonArguments(key),
            "--cosign-public-key", Path.ChangeExtension(otherKey, ".pub")]);

        Assert.NotEqual(0, run.ExitCode);
        var kpis = fixture.KpiStatuses();
        foreach (var failing in new[] { "critical-vulnerabilities", "verified-secrets", "base-images-pinned", "manifest-findings", "images-signed" })
            Assert.True(kpis[failing] == "fail", $"{failing} is {kpis[failing]}\n{run.Output}");
        var markdown = File.ReadAllText(Path.Combine(fixture.Artifacts, "security-report.md"));
        Assert.Contains("❌", markdown);
        Assert.DoesNotContain(awsKey, run.Output + run.Error + markdown + File.ReadAllText(Path.Combine(fixture.Artifacts, "security-report.sarif")));
    }
}
