using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>The syft and cosign fakes are as strict as the real tools (tool-contracts.md §6), so the adapters are tested against something that says no.</summary>
public class SigningFakeToolSpecs
{
    private const string Image = CosignCommandSpecs.Image;

    private static async Task<BufferedCommandResult> RunAsync(string tool, string[] args, string? stdin = null, IDictionary<string, string>? environment = null, string? cosignVersion = null)
    {
        var fakes = new SigningFakes(cosignVersion ?? "3.1.2");
        var command = Cli.Wrap(tool == "cosign" ? fakes.Cosign : fakes.Syft).WithArguments(args).WithWorkingDirectory(fakes.Directory)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(e => { foreach (var (k, v) in environment ?? new Dictionary<string, string>()) e.Set(k, v); });
        if (stdin is not null) command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        return await command.ExecuteBufferedAsync();
    }

    [Fact]
    public async Task Syft_prints_the_bare_unknown_flag_error()
    {
        var result = await RunAsync("syft", ["scan", "registry:" + Image, "--outptu", "x"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("unknown flag: --outptu", result.StandardError.Trim());
    }

    [Fact]
    public async Task Syft_truncates_its_output_files_before_it_fails_to_resolve_the_source()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("syft-").FullName, "sbom.json");
        await File.WriteAllTextAsync(file, "older content");

        var result = await RunAsync("syft", ["scan", "registry:" + Image, "-o", $"spdx-json@2.3={file}"], environment: new Dictionary<string, string> { ["FAKE_SYFT_MODE"] = "fail" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(0, new FileInfo(file).Length);
    }

    [Fact]
    public async Task Cosign_has_no_version_flag()
    {
        var result = await RunAsync("cosign", ["--version"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: unknown flag: --version", result.StandardError);
    }

    [Theory]
    [InlineData("2.6.4", 1)]
    [InlineData("3.1.2", 0)]
    public async Task Only_cosign_v3_knows_the_bundle_flag_on_sign(string version, int unknown)
    {
        var result = await RunAsync("cosign", ["sign", "--yes", "--bundle", "b.json", "--key", "none.key", Image], cosignVersion: version);

        Assert.Equal(unknown == 1, result.StandardError.Contains("unknown flag: --bundle"));
    }

    [Fact]
    public async Task Cosign_v3_refuses_tlog_upload_false_while_its_default_signing_config_is_in_use()
    {
        var result = await RunAsync("cosign", ["sign", "--yes", "--key", "k.key", "--tlog-upload=false", Image]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--tlog-upload=false is not supported with --signing-config or --use-signing-config", result.StandardError);
    }

    [Fact]
    public async Task Cosign_refuses_to_sign_a_tag()
    {
        var result = await RunAsync("cosign", ["sign", "--yes", "--key", "k.key", "--use-signing-config=false", "--tlog-upload=false", "127.0.0.1:5000/vteam/backend:1.4.0"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("it names a tag", result.StandardError);
    }

    [Fact]
    public async Task Without_COSIGN_PASSWORD_cosign_reads_the_password_from_stdin_newline_included_so_the_key_does_not_open()
    {
        var fakes = new SigningFakes();
        var key = await fakes.KeyPairAsync("k", "pw");
        var args = new[] { "sign", "--yes", "--key", key, "--use-signing-config=false", "--tlog-upload=false", Image };

        var fromStdin = await Cli.Wrap(fakes.Cosign).WithArguments(args).WithStandardInputPipe(PipeSource.FromString("pw\n"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        var fromEnvironment = await Cli.Wrap(fakes.Cosign).WithArguments(args).WithEnvironmentVariables(e => e.Set("COSIGN_PASSWORD", "pw"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        Assert.Equal(1, fromStdin.ExitCode);
        Assert.Contains("decryption failed", fromStdin.StandardError);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.StandardError);
    }

    [Fact]
    public async Task Without_yes_and_with_the_transparency_log_on_cosign_waits_for_a_y_and_empty_stdin_is_a_no()
    {
        var result = await RunAsync("cosign", ["sign", "--key", "k.key", Image], stdin: "");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Are you sure you would like to continue?", result.StandardError);
        Assert.Contains("user declined", result.StandardError);
    }
}
