using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Tests.Rig;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tests.Tools;
using Xunit;

namespace Vteam.Build.Tests.Secure;

/// <summary>
/// A repository as users have it, made for one run of the real build (the compiled _build.dll, as
/// ./build.sh runs it): fixture components FROM the rig's base, the shipped manifests, a git history,
/// the strict fakes of trivy, syft, cosign and trufflehog on PATH, and a cosign key made by the fake.
/// </summary>
internal sealed class SecureFixture
{
    public const string Password = "fixture-cosign-password";
    private readonly RegistryRig _rig;
    private readonly Dictionary<string, string> _fakeEnvironment;

    public SecureFixture(RegistryRig rig, string[] components, IDictionary<string, string>? fakes = null)
    {
        _rig = rig;
        Root = Directory.CreateTempSubdirectory("secure-").FullName;
        Namespace = "e2e" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        File.WriteAllText(Path.Combine(Root, ".nuke", "parameters.json"), "{}\n");
        foreach (var component in components)
            WriteDockerfile(component, $"FROM {rig.BaseImagePinned}\nRUN echo {component} > /component\nUSER 1001\n");
        CopyManifests();
        _fakeEnvironment = new Dictionary<string, string>
        {
            ["FAKE_COSIGN_STORE"] = Path.Combine(Root, "..", Path.GetFileName(Root) + "-cosign-store"),
        };
        foreach (var (k, v) in fakes ?? new Dictionary<string, string>()) _fakeEnvironment[k] = v;
    }

    public string Root { get; }
    public string Namespace { get; }
    public string Registry => $"{_rig.RegistryHost}/{Namespace}";
    public string Artifacts => Path.Combine(Root, "artifacts");

    public void WriteDockerfile(string component, string content)
    {
        Directory.CreateDirectory(Path.Combine(Root, "components", component));
        File.WriteAllText(Path.Combine(Root, "components", component, "Dockerfile"), content);
    }

    /// <summary>The shipped manifests, with this build's images renamed into the fixture's registry.</summary>
    private void CopyManifests()
    {
        var source = Path.Combine(RepositoryPaths.Root, "components", "manifests");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, "components", "manifests", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var text = File.ReadAllText(file);
            if (file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
                text = Regex.Replace(text, @"quay\.io/ambient_code/vteam_", $"{Registry}/vteam_");
            File.WriteAllText(target, text);
        }
    }

    public void EditManifest(string relativePath, Func<string, string> edit)
    {
        var path = Path.Combine(Root, "components", "manifests", relativePath);
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    public async Task CommitAsync(string message = "fixture")
    {
        await Git("init", "-q", "-b", "main");
        await Git("add", "-A");
        await Git("-c", "user.email=dev@fixture.local", "-c", "user.name=fixture", "commit", "-q", "-m", message);
    }

    private async Task Git(params string[] args)
    {
        var result = await Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(Root).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"git {string.Join(" ", args)}: {result.StandardError}");
    }

    /// <summary>A key pair made by the fake cosign (real ECDSA keys), in keys/&lt;name&gt;/.</summary>
    public async Task<string> KeyPairAsync(string name)
    {
        var directory = Path.Combine(Root, "..", Path.GetFileName(Root) + "-keys", name);
        Directory.CreateDirectory(directory);
        var result = await Cli.Wrap(Tool("cosign")).WithArguments(["generate-key-pair"]).WithWorkingDirectory(directory)
            .WithEnvironmentVariables(e => e.Set("COSIGN_PASSWORD", Password)).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardError);
        return Path.Combine(directory, "cosign.key");
    }

    private string? _bin;

    /// <summary>The wrappers of the four fakes, with this fixture's FAKE_* settings, in one folder for PATH.</summary>
    public string Tool(string name)
    {
        _bin ??= Directory.CreateTempSubdirectory("secure-bin-").FullName;
        var path = Path.Combine(_bin, name);
        if (!File.Exists(path)) FakeToolbox.Script(name, _fakeEnvironment, _bin);
        return path;
    }

    public sealed record Run(int ExitCode, string Output, string Error);

    /// <summary>Runs the compiled build the way ./build.sh does, in the fixture's root.</summary>
    public async Task<Run> BuildAsync(params string[] args)
    {
        foreach (var tool in new[] { "trivy", "syft", "cosign", "trufflehog" }) Tool(tool);
        var build = Path.Combine(AppContext.BaseDirectory, "_build.dll");
        var result = await Cli.Wrap("dotnet").WithArguments([build, .. args])
            .WithWorkingDirectory(Root)
            .WithEnvironmentVariables(e => e
                .Set("PATH", _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"))
                .Set("COSIGN_PASSWORD", Password)
                .Set("GITHUB_ACTIONS", null).Set("CI", null).Set("GITHUB_TOKEN", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new Run(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public string[] CommonArguments(string key) =>
    [
        "--registry", Registry, "--image-prefix", "vteam_", "--push", "--network", "none", "--version", "1.0.0",
        "--cosign-key", key, "--parallelism", "4", "--scan-parallelism", "4", "--signing-parallelism", "4",
    ];

    public JsonDocument Report() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Artifacts, "security-report.json")));

    public Dictionary<string, string> KpiStatuses()
    {
        using var report = Report();
        return report.RootElement.GetProperty("kpis").EnumerateArray()
            .ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("status").GetString()!);
    }
}
