using NJsonSchema;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tests.Tools;
using Xunit;

namespace Vteam.Build.Tests.Scanning;

/// <summary>ScanSecrets end to end: the real engine, a real git repository, the strict fake trufflehog.</summary>
public class ScanSecretsSpecs
{
    private const string KeyId = "AKIA" + "QYLPMN5HHHFPZAM2";
    private const string SecretKey = "1tUm636uS1yOEcfP5pvfqJml36mF7AkyHsEU0IUq";

    private readonly ScanHarness _harness = new();
    private readonly GitRepository _repository;
    private readonly string _secretCommit;

    public ScanSecretsSpecs()
    {
        _repository = GitRepository.Create(_harness.Root);
        _repository.Commit("README.md", "vteam\n");
        _secretCommit = _repository.Commit("config/aws.env", $"# deploy keys\nAWS_ACCESS_KEY_ID={KeyId}\nAWS_SECRET_ACCESS_KEY={SecretKey}\n");
        _repository.Commit("config/aws.env", "# moved to the vault\n");
    }

    private string Trufflehog(params (string Name, string Value)[] environment)
        => FakeToolbox.Script("trufflehog", new Dictionary<string, string>(
            environment.Select(e => KeyValuePair.Create(e.Name, e.Value)).Prepend(KeyValuePair.Create("FAKE_TRUFFLEHOG_SECRET", SecretKey)).Prepend(KeyValuePair.Create("FAKE_TRUFFLEHOG_PLANT", KeyId))));

    private void AssertNoSecretAnywhere(string output)
    {
        foreach (var secret in new[] { KeyId, SecretKey, KeyId + SecretKey })
        {
            Assert.DoesNotContain(secret, output);
            foreach (var (path, text) in _harness.ArtifactFiles())
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{path} holds a planted secret");
        }
    }

    [Fact]
    public async Task A_verified_secret_in_the_history_fails_the_build_and_is_never_printed_or_written()
    {
        var (exit, output) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", Trufflehog(), "--verbose");

        Assert.Equal(1, exit);
        Assert.Contains("config/aws.env:2", output);
        Assert.Contains("[secret/AWS]", output);
        Assert.Contains("a live AWS secret (verified with the provider)", output);
        Assert.Contains("ScanSecrets: 1 secret(s) fail the policy", output);
        AssertNoSecretAnywhere(output);

        var record = _harness.ReadManifest().Secrets!;
        Assert.Equal((1, 0, false, "git", "3.97.0"), (record.Verified, record.Unknown, record.Passed, record.Mode, record.ToolVersion));
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema("sarif-2.1.0.schema.json"));
        Assert.Empty(schema.Validate(await File.ReadAllTextAsync(record.SarifReport!)));
        Assert.Contains(_secretCommit, await File.ReadAllTextAsync(record.SarifReport!));
    }

    [Fact]
    public async Task A_pull_request_scan_from_a_base_after_the_leak_passes()
    {
        var (exit, output) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", Trufflehog(), "--since-commit", _secretCommit, "--branch", "HEAD");

        Assert.True(exit == 0, output);
        var record = _harness.ReadManifest().Secrets!;
        Assert.Equal((0, true, _secretCommit), (record.Verified, record.Passed, record.SinceCommit));
    }

    [Fact]
    public async Task An_unknown_secret_warns_by_default_and_fails_when_configured()
    {
        var script = Trufflehog(("FAKE_TRUFFLEHOG_VERIFY", "unknown"));

        var (warnExit, warnOutput) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", script);
        var (failExit, failOutput) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", script, "--secret-unknown-action", "fail");

        Assert.True(warnExit == 0, warnOutput);
        Assert.Contains("warning [secret/AWS]", warnOutput);
        Assert.Equal(1, failExit);
        AssertNoSecretAnywhere(warnOutput + failOutput);
    }

    [Fact]
    public async Task Unverified_hits_are_left_out_by_default_results()
    {
        var (exit, output) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", Trufflehog(("FAKE_TRUFFLEHOG_VERIFY", "unverified")));

        Assert.True(exit == 0, output);
        Assert.Equal(0, _harness.ReadManifest().Secrets!.Unverified);
    }

    [Fact]
    public async Task Output_we_cannot_read_fails_with_the_tools_stderr_and_without_the_secret()
    {
        var (exit, output) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", Trufflehog(("FAKE_TRUFFLEHOG_MODE", "garbage")));

        Assert.Equal(1, exit);
        Assert.Contains("trufflehog exited with 183 but its JSON findings could not be read: trufflehog output line 1 is not JSON", output);
        Assert.Contains("finished scanning", output);
        AssertNoSecretAnywhere(output);
    }

    [Fact]
    public async Task The_filesystem_mode_scans_files_and_honours_the_exclude_file()
    {
        File.WriteAllText(Path.Combine(_harness.Root, "leak.env"), $"KEY={KeyId}\n");
        Directory.CreateDirectory(Path.Combine(_harness.Root, "vendor"));
        File.WriteAllText(Path.Combine(_harness.Root, "vendor", "leak.env"), $"KEY={KeyId}\n");
        File.WriteAllText(Path.Combine(_harness.Root, ".trufflehog-exclude"), "/vendor/\n");

        var (exit, output) = await _harness.RunAsync("ScanSecrets", "--trufflehog-path", Trufflehog(), "--secret-scan-paths", _harness.Root);

        Assert.Equal(1, exit);
        Assert.Contains("leak.env:1", output);
        Assert.DoesNotContain("vendor", output);
        Assert.Equal((1, "filesystem"), (_harness.ReadManifest().Secrets!.Verified, _harness.ReadManifest().Secrets!.Mode));
        AssertNoSecretAnywhere(output);
    }
}
