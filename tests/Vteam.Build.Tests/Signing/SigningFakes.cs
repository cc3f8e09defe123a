using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Components;
using Vteam.Build.Tests.Tools;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>The strict cosign and syft fakes set up for one test: their own signature store, key pairs made by the fake itself.</summary>
internal sealed class SigningFakes
{
    public SigningFakes(string cosignVersion = "3.1.2", bool checkRegistry = false, IDictionary<string, string>? extra = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("signing-").FullName;
        Store = Path.Combine(Directory, "store");
        ToolLog = Path.Combine(Directory, "tools.jsonl");
        Environment = new Dictionary<string, string>
        {
            ["FAKE_COSIGN_STORE"] = Store,
            ["FAKE_COSIGN_VERSION"] = cosignVersion,
            ["FAKE_TOOLS_LOG"] = ToolLog,
        };
        if (!checkRegistry)
        {
            Environment["FAKE_COSIGN_SKIP_REGISTRY"] = "1";
            Environment["FAKE_SYFT_SKIP_REGISTRY"] = "1";
        }
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) Environment[k] = v;
        Cosign = FakeToolbox.Script("cosign", Environment, Path.Combine(Directory, "bin"));
        Syft = FakeToolbox.Script("syft", Environment, Path.Combine(Directory, "bin"));
    }

    public string Directory { get; }
    public string Store { get; }
    public string ToolLog { get; }
    public Dictionary<string, string> Environment { get; }
    public string Cosign { get; }
    public string Syft { get; }

    /// <summary>cosign generate-key-pair (the fake's real ECDSA keys), returns the path of the .key (the .pub beside it).</summary>
    public async Task<string> KeyPairAsync(string name, string password)
    {
        var directory = Path.Combine(Directory, "keys", name);
        System.IO.Directory.CreateDirectory(directory);
        var result = await Cli.Wrap(Cosign).WithArguments(["generate-key-pair"]).WithWorkingDirectory(directory)
            .WithEnvironmentVariables(e => e.Set("COSIGN_PASSWORD", password))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardError);
        return Path.Combine(directory, "cosign.key");
    }

    /// <summary>Every line of FAKE_TOOLS_LOG: the argv and the names of the tool's variables, per invocation.</summary>
    public IReadOnlyList<(string Tool, string[] Argv, string[] Environment)> Invocations()
        => File.Exists(ToolLog)
            ? File.ReadAllLines(ToolLog).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
                .Select(e => (e.GetProperty("tool").GetString()!, e.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                    e.GetProperty("env").EnumerateArray().Select(a => a.GetString()!).ToArray())).ToList()
            : [];

    public static ImageRecord Image(string component, char digest, string registry = "127.0.0.1:5000") => new()
    {
        Component = component,
        Dockerfile = $"components/{component}/Dockerfile",
        Context = $"components/{component}",
        Repository = $"{registry}/vteam/{component}",
        Tags = ["1.4.0"],
        Digest = CosignOutputSpecs.Digest(digest),
        Pushed = true,
        BaseImages = [new BaseImageRecord { Reference = $"{registry}/base:1", Digest = CosignOutputSpecs.Digest('b'), Line = 1, Pinned = true }],
    };
}
