using Vteam.Build.Components;
using Vteam.Build.Containers;
using Vteam.Build.Containers.Registry;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Containers.RegistryRig;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace Vteam.Build.Tests.Containers;

/// <summary>PinBaseImages and VerifyPins run as targets over a repository folder, against the real registry.</summary>
public class PinTargetSpecs(PlainRegistryFixture rig) : IClassFixture<PlainRegistryFixture>
{
    private const string CheckoutSha = "b4ffde65f46336ab88eb53be808477a3936bae11";

    [RegistryFact]
    public async Task VerifyPins_fails_on_an_unpinned_FROM_and_passes_after_PinBaseImages_and_a_second_pin_changes_nothing()
    {
        var alpine = await rig.Pusher.PushImageAsync("library/alpine", "3.20");
        var tools = await rig.Pusher.PushImageAsync("team/tools", "1");
        var root = Repository(new()
        {
            ["components/backend/Dockerfile"] = $"ARG BASE=alpine:3.20\r\nFROM ${{BASE}} AS build\r\nCOPY --from={rig.Registry.Host}/team/tools:1 /t /t\r\nFROM build\r\n",
            ["components/frontend/Dockerfile"] = "FROM alpine:3.20\nFROM scratch\n",
        });
        var build = new PinBuild(root) { Mirrors = [$"docker.io={rig.Registry.Host}"] };

        var verifyBefore = await RunAsync(build, b => b.VerifyPins);
        var pin = await RunAsync(build, b => b.PinBaseImages);
        var afterFirstPin = Snapshot(root);
        var secondPin = await RunAsync(build, b => b.PinBaseImages);
        var verifyAfter = await RunAsync(build, b => b.VerifyPins);

        Assert.NotNull(verifyBefore.Error);
        Assert.Equal(
            [("components/backend/Dockerfile", 1, PinTargets.UnpinnedRule), ("components/backend/Dockerfile", 3, PinTargets.UnpinnedRule), ("components/frontend/Dockerfile", 1, PinTargets.UnpinnedRule)],
            verifyBefore.Output.Diagnostics.Select(d => (d.File!, d.Line!.Value, d.RuleId!)).Order());
        Assert.Null(pin.Error);
        Assert.Equal($"ARG BASE=alpine:3.20@{alpine}\r\nFROM ${{BASE}} AS build\r\nCOPY --from={rig.Registry.Host}/team/tools:1@{tools} /t /t\r\nFROM build\r\n",
            File.ReadAllText(Path.Combine(root, "components/backend/Dockerfile")));
        Assert.Equal($"FROM alpine:3.20@{alpine}\nFROM scratch\n", File.ReadAllText(Path.Combine(root, "components/frontend/Dockerfile")));
        Assert.Null(secondPin.Error);
        Assert.Equal(afterFirstPin, Snapshot(root));
        Assert.Null(verifyAfter.Error);
        Assert.Empty(verifyAfter.Output.Diagnostics);

        var record = ManifestStore.For(new AbsolutePath(Path.Combine(root, "artifacts", "images.json")));
        record.Reload();
        var manifest = record.Read();
        Assert.True(manifest.Pins!.Passed);
        Assert.Equal([("alpine:3.20", alpine, 2, true), ($"{rig.Registry.Host}/team/tools:1", tools, 3, true)],
            manifest.Find("backend")!.BaseImages.Select(b => (b.Reference, b.Digest!, b.Line, b.Pinned)));
    }

    [RegistryFact]
    public async Task Refresh_reports_drift_in_VerifyPins_and_PinBaseImages_updates_it()
    {
        var old = await rig.Pusher.PushImageAsync("team/moving", "1");
        var root = Repository(new() { ["components/app/Dockerfile"] = $"FROM {rig.Registry.Host}/team/moving:1\n" });
        var build = new PinBuild(root);
        await RunAsync(build, b => b.PinBaseImages);
        var moved = await rig.Pusher.PushImageAsync("team/moving", "1");

        var plainVerify = await RunAsync(build, b => b.VerifyPins);
        var refreshVerify = await RunAsync(build with { Refresh = true }, b => b.VerifyPins);
        var refreshPin = await RunAsync(build with { Refresh = true }, b => b.PinBaseImages);

        Assert.Null(plainVerify.Error);
        Assert.NotNull(refreshVerify.Error);
        var drift = Assert.Single(refreshVerify.Output.Diagnostics);
        Assert.Equal((PinTargets.DriftRule, 1), (drift.RuleId, drift.Line));
        Assert.Contains($"now points at {moved}, pinned is {old}", drift.Message);
        Assert.Null(refreshPin.Error);
        Assert.Equal($"FROM {rig.Registry.Host}/team/moving:1@{moved}\n", File.ReadAllText(Path.Combine(root, "components/app/Dockerfile")));
    }

    [RegistryFact]
    public async Task The_platform_parameter_pins_that_platforms_manifest()
    {
        var (_, platforms) = await rig.Pusher.PushIndexAsync("team/multiarch", "1", "linux/amd64", "linux/arm64/v8");
        var root = Repository(new() { ["components/app/Dockerfile"] = $"FROM {rig.Registry.Host}/team/multiarch:1\n" });

        var result = await RunAsync(new PinBuild(root) { Platform = "linux/arm64" }, b => b.PinBaseImages);

        Assert.Null(result.Error);
        Assert.Equal($"FROM {rig.Registry.Host}/team/multiarch:1@{platforms["linux/arm64/v8"]}\n", File.ReadAllText(Path.Combine(root, "components/app/Dockerfile")));
    }

    [RegistryFact]
    public async Task A_registry_that_fails_leaves_every_file_whole_and_the_target_fails_naming_the_place()
    {
        var good = await rig.Pusher.PushImageAsync("team/good", "1");
        await rig.Pusher.PushImageAsync("team/bad", "1");
        var badFile = $"FROM {rig.Proxy.Host}/team/bad:1\n";
        var root = Repository(new()
        {
            ["components/a/Dockerfile"] = $"FROM {rig.Registry.Host}/team/good:1\n",
            ["components/b/Dockerfile"] = badFile,
        });
        rig.Proxy.Enqueue(new Fault.Status(503), new Fault.Status(503));

        var result = await RunAsync(new PinBuild(root) { MaxAttempts = 2 }, b => b.PinBaseImages);

        Assert.NotNull(result.Error);
        Assert.Contains("could not be pinned", result.Error!.Message);
        var finding = Assert.Single(result.Output.Diagnostics);
        Assert.Equal(("components/b/Dockerfile", 1, PinTargets.FailedRule), (finding.File, finding.Line, finding.RuleId));
        Assert.Contains("gave up after 2 attempts", finding.Message);
        Assert.Equal(badFile, File.ReadAllText(Path.Combine(root, "components/b/Dockerfile")));
        Assert.Equal($"FROM {rig.Registry.Host}/team/good:1@{good}\n", File.ReadAllText(Path.Combine(root, "components/a/Dockerfile")));
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
    }

    [RegistryFact]
    public async Task Manifest_images_are_pinned_except_the_images_this_build_produces_and_workflow_actions_get_commit_SHAs()
    {
        var redis = await rig.Pusher.PushImageAsync("library/redis", "7.2");
        using var github = WireMockServer.Start();
        github.Given(Request.Create().WithPath("/api/v3/repos/actions/checkout/commits/v4").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.v3.sha").WithBody(CheckoutSha));
        github.Given(Request.Create().WithPath("/api/v3/repos/nobody/nothing/commits/v1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Not Found"}"""));
        const string deployment = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: backend
                      image: quay.io/ambient_code/vteam_backend:latest
                    - name: cache
                      image: "redis:7.2"   # the cache
            """;
        const string workflow = """
            jobs:
              build:
                steps:
                  - uses: actions/checkout@v4
                  - uses: ./local-action
                  - uses: 'actions/checkout@v4'
                  - uses: nobody/nothing@v1
            """;
        var root = Repository(new()
        {
            ["components/manifests/backend.yaml"] = deployment,
            [".github/workflows/ci.yml"] = workflow,
        });
        var build = new PinBuild(root)
        {
            Mirrors = [$"docker.io={rig.Registry.Host}"],
            OwnImagePrefix = "quay.io/ambient_code/vteam_",
            Actions = GitHubActionRefResolver.Create("test-token", new Uri(github.Url! + "/")),
        };

        var result = await RunAsync(build, b => b.PinBaseImages);

        Assert.Equal(deployment.Replace("\"redis:7.2\"", $"\"redis:7.2@{redis}\""), File.ReadAllText(Path.Combine(root, "components/manifests/backend.yaml")));
        Assert.Equal(workflow
                .Replace("- uses: actions/checkout@v4", $"- uses: actions/checkout@{CheckoutSha} # v4")
                .Replace("'actions/checkout@v4'", $"'actions/checkout@{CheckoutSha}' # v4"),
            File.ReadAllText(Path.Combine(root, ".github/workflows/ci.yml")));
        var finding = Assert.Single(result.Output.Diagnostics);
        Assert.Equal((".github/workflows/ci.yml", 7), (finding.File, finding.Line));
        Assert.Contains("nobody/nothing@v1: GitHub knows no such repository or ref", finding.Message);
        Assert.Single(github.LogEntries, e => e.RequestMessage.Path.EndsWith("/checkout/commits/v4"));
    }

    private static Dictionary<string, string> Snapshot(string root)
        => Directory.GetFiles(Path.Combine(root, "components"), "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);

    private static string Repository(Dictionary<string, string> files)
    {
        var root = Directory.CreateTempSubdirectory("pin-repo-").FullName;
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return root;
    }

    private static async Task<(CapturedOutput Output, Exception? Error)> RunAsync(PinBuild build, Func<IPinBaseImages, Target> target)
    {
        var output = new CapturedOutput();
        var definition = new TargetDefinition();
        target(build)(definition);
        using (Log.Push(output, build.Masker))
        {
            try
            {
                foreach (var action in definition.Actions) await action(default);
                return (output, null);
            }
            catch (InvalidOperationException e)
            {
                return (output, e);
            }
        }
    }

    private sealed record PinBuild(string Root) : IPinBaseImages
    {
        public string[] Mirrors { get; init; } = [];
        public bool Refresh { get; init; }
        public string? Platform { get; init; }
        public string? OwnImagePrefix { get; init; }
        public int MaxAttempts { get; init; } = 4;
        public IActionRefResolver? Actions { get; init; }

        public AbsolutePath RootDirectory => new(Root);
        public BuildHost Host => BuildHost.Console;
        public CancellationToken Cancellation => default;
        public SecretMasker Masker { get; } = new();
        public ExecutionPlan? ExecutionPlan => null;

        bool? IPinBaseImages.Refresh => Refresh;
        string? IPinBaseImages.Platform => Platform;
        string[]? IPinBaseImages.RegistryMirror => Mirrors;
        IReadOnlyCollection<string> IPinBaseImages.OwnImagesOfThisBuild => OwnImagePrefix is null ? [] : [OwnImagePrefix];
        IActionRefResolver? IPinBaseImages.ActionRefResolver => Actions;
        IRegistryCredentials IPinBaseImages.RegistryCredentials => new NoRegistryCredentials();
        RegistryOptions IPinBaseImages.PinRegistryOptions => new()
        {
            Mirrors = RegistryOptions.ParseMirrors(Mirrors),
            MaxAttempts = MaxAttempts,
            BaseDelay = TimeSpan.FromMilliseconds(20),
            RequestTimeout = TimeSpan.FromSeconds(2),
        };
    }
}
