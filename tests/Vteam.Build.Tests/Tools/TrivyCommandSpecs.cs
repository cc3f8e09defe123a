using Vteam.Build.Tools;
using Vteam.Build.Tools.Trivy;
using Xunit;

namespace Vteam.Build.Tests.Tools;

/// <summary>The exact argv and environment of every trivy mode, against tool-contracts.md §1.</summary>
public class TrivyCommandSpecs
{
    private const string Digest = "sha256:9e7a3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5df81";
    private static readonly TrivySettings Settings = new() { CacheDirectory = "/r/.nuke/temp/trivy", WorkingDirectory = "/r/.nuke/temp/trivy/work" };

    private static string[] Argv(ToolInvocation invocation) => SplitArguments(invocation.Command.Arguments);

    [Fact]
    public void I_scan_a_pushed_image_by_digest_with_json_to_a_file_and_an_exit_code_other_than_1()
    {
        var invocation = TrivyCommands.ImageScan("/bin/trivy", Settings, new TrivyTarget.RegistryImage($"127.0.0.1:5000/vteam/backend@{Digest}"), "/r/artifacts/scans/backend.json");

        Assert.Equal(
            ["image", "--format", "json", "--output", "/r/artifacts/scans/backend.json", "--exit-code", "4",
             "--severity", "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL", "--scanners", "vuln,secret", "--cache-dir", "/r/.nuke/temp/trivy",
             "--timeout", "600s", "--no-progress", "--skip-version-check", "--disable-telemetry", $"127.0.0.1:5000/vteam/backend@{Digest}"],
            Argv(invocation));
        Assert.Equal("/bin/trivy", invocation.Command.TargetFilePath);
        Assert.Equal("/r/.nuke/temp/trivy/work", invocation.Command.WorkingDirPath);
        Assert.Equal(TrivyCommands.ExitCodes, invocation.ExitCodes);
        Assert.True(invocation.ExitCodes.IsSuccess(4) && !invocation.ExitCodes.IsSuccess(1));
    }

    [Fact]
    public void I_scan_an_exported_tarball_with_input_and_no_image_name()
    {
        var argv = Argv(TrivyCommands.ImageScan("trivy", Settings, new TrivyTarget.Archive("/r/artifacts/images/backend.tar"), "out.json"));

        Assert.Equal(["--input", "/r/artifacts/images/backend.tar"], argv[^2..]);
        Assert.DoesNotContain(argv, a => a.Contains('@'));
    }

    [Theory]
    [InlineData("quay.io/ambient_code/vteam_backend:latest")]
    [InlineData("quay.io/ambient_code/vteam_backend")]
    [InlineData("quay.io/x@sha256:abc")]
    public void A_tag_where_a_digest_is_needed_is_refused_before_trivy_runs(string reference)
    {
        var error = Assert.Throws<ArgumentException>(() => TrivyCommands.ImageScan("trivy", Settings, new TrivyTarget.RegistryImage(reference), "o.json"));
        Assert.Contains("by digest", error.Message);
    }

    [Fact]
    public void Severities_are_upper_case_as_trivy_demands()
    {
        var error = Assert.Throws<ArgumentException>(() => TrivyCommands.ImageScan("trivy", Settings with { Severities = ["high", "CRITICAL"] },
            new TrivyTarget.Archive("a.tar"), "o.json"));
        Assert.Contains("upper case", error.Message);
    }

    [Fact]
    public void Air_gapped_switches_skip_every_db_update_and_use_the_mirror()
    {
        var argv = Argv(TrivyCommands.ImageScan("trivy", Settings with
        {
            IgnoreUnfixed = true, SkipDbUpdate = true, OfflineScan = true,
            DbRepository = "mirror.local/trivy-db:2", JavaDbRepository = "mirror.local/trivy-java-db:1",
            Severities = ["HIGH", "CRITICAL"], Timeout = TimeSpan.FromMinutes(3),
        }, new TrivyTarget.Archive("a.tar"), "o.json"));

        Assert.Equal(
            ["image", "--format", "json", "--output", "o.json", "--exit-code", "4", "--severity", "HIGH,CRITICAL", "--scanners", "vuln,secret",
             "--cache-dir", "/r/.nuke/temp/trivy", "--timeout", "180s", "--no-progress", "--skip-version-check", "--disable-telemetry",
             "--ignore-unfixed", "--skip-db-update", "--skip-java-db-update", "--skip-check-update", "--offline-scan",
             "--db-repository", "mirror.local/trivy-db:2", "--java-db-repository", "mirror.local/trivy-java-db:1", "--input", "a.tar"],
            argv);
    }

    [Fact]
    public void Registry_credentials_go_by_environment_never_on_the_command_line()
    {
        var invocation = TrivyCommands.ImageScan("trivy", Settings with { RegistryUsername = "robot", RegistryPassword = "s3cr3t-pa55" },
            new TrivyTarget.Archive("a.tar"), "o.json");

        Assert.DoesNotContain("s3cr3t-pa55", invocation.Command.Arguments);
        Assert.DoesNotContain(invocation.Command.EnvironmentVariables.Values, v => v == "s3cr3t-pa55");
        Assert.Equal("s3cr3t-pa55", invocation.SecretEnvironment!["TRIVY_PASSWORD"]);
        Assert.Equal("robot", invocation.SecretEnvironment!["TRIVY_USERNAME"]);
    }

    [Fact]
    public void Convert_turns_the_saved_json_into_sarif_with_the_ignore_file_and_no_scan_flags()
    {
        var argv = Argv(TrivyCommands.ConvertToSarif("trivy", Settings, "/r/a.json", "/r/a.sarif", "/r/.trivyignore.yaml"));

        Assert.Equal(["convert", "--format", "sarif", "--output", "/r/a.sarif", "--ignorefile", "/r/.trivyignore.yaml", "/r/a.json"], argv);
    }

    [Theory]
    [InlineData("trivy", "--version --format json")]
    [InlineData("trufflehog", "--version")]
    [InlineData("syft", "version")]
    [InlineData("cosign", "version")]
    public void Each_tool_reports_its_version_the_way_it_supports(string tool, string arguments)
        => Assert.Equal(arguments, ToolLocator.VersionInvocation(tool, "/x/" + tool).Command.Arguments);

    /// <summary>Splits CliWrap's escaped argument string back into argv (it quotes only what needs quoting).</summary>
    internal static string[] SplitArguments(string arguments)
    {
        var result = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c == '\\' && i + 1 < arguments.Length && arguments[i + 1] == '"') { current.Append('"'); i++; any = true; }
            else if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any || current.Length > 0) result.Add(current.ToString()); current.Clear(); any = false; }
            else { current.Append(c); any = true; }
        }
        if (any || current.Length > 0) result.Add(current.ToString());
        return result.ToArray();
    }
}
