using System.Reflection;
using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Xunit;

namespace Vteam.Build.Tests.Release;

/// <summary>The PublishRelease target itself, its parameters set as the engine would, against the stand-in.</summary>
public class PublishReleaseTargetSpecs
{
    private sealed class ReleaseBuild : NukeBuild, IPublishRelease;

    [Fact]
    public async Task With_publish_the_target_publishes_records_the_release_in_images_json_and_a_re_run_changes_nothing()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        var build = Build(harness, publish: true);

        var output = await RunAsync(build);
        harness.Server.ClearLog();
        var again = await RunAsync(build);

        var release = harness.Server.SingleRelease();
        Assert.False(release.Draft);
        Assert.Equal(ReleaseWorkspace.ExpectedAssets.Length, release.Assets.Count);
        Assert.Empty(harness.Changes);
        Assert.Contains("is up to date", again);
        var manifest = ManifestStore.For(harness.Workspace.Artifacts / "images.json");
        manifest.Reload();
        Assert.Equal("v1.4.0", manifest.Read().Release?.Tag);
        Assert.Contains(Checksums(), manifest.Read().Release!.Assets);
        Assert.DoesNotContain(ReleaseHarness.GoodToken, output + again);
    }

    [Fact]
    public async Task Without_publish_the_target_prepares_the_release_and_sends_nothing()
    {
        await using var harness = await ReleaseHarness.StartAsync();
        var build = Build(harness, publish: false);

        var output = await RunAsync(build);

        Assert.Empty(harness.Server.Requests);
        Assert.True(File.Exists(harness.Workspace.Artifacts / "release" / "SHA256SUMS"));
        Assert.True(File.Exists(harness.Workspace.Artifacts / "release" / "release-notes.md"));
        Assert.Contains("--publish not given", output);
    }

    private static string Checksums() => Vteam.Build.Release.Checksums.FileName;

    private static ReleaseBuild Build(ReleaseHarness harness, bool publish)
    {
        File.WriteAllText(harness.Workspace.Artifacts / "images.json", JsonSerializer.Serialize(harness.Workspace.Manifest, BuildManifest.JsonOptions));
        var build = new ReleaseBuild { RootDirectory = harness.Workspace.Root };
        ParameterValues.Attach(build, new ParameterSet([
            Value(nameof(IPublishRelease.Publish), publish),
            Value(nameof(IHazVersion.Version), "1.4.0", typeof(IHazVersion)),
            Value(nameof(IPublishRelease.GitHubToken), ReleaseHarness.GoodToken),
            Value(nameof(IPublishRelease.GitHubRepository), $"{StandInGitHub.Owner}/{StandInGitHub.Repo}"),
            Value(nameof(IPublishRelease.GitHubApiUrl), harness.Server.ApiUrl.ToString()),
        ]));
        return build;
    }

    private static ResolvedParameter Value(string member, object value, Type? declaring = null)
    {
        var property = (declaring ?? typeof(IPublishRelease)).GetProperty(member, BindingFlags.Public | BindingFlags.Instance)!;
        var descriptor = new ParameterDescriptor(member, member, member, null, property.PropertyType, property.IsDefined(typeof(SecretAttribute)), property);
        return new ResolvedParameter(descriptor, value, ParameterSource.CommandLine, null);
    }

    private static async Task<string> RunAsync(ReleaseBuild build)
    {
        var output = new StringWriter();
        using var _ = Log.Push(new PlainTextOutput(output), build.Masker);
        var definition = new TargetDefinition();
        ((IPublishRelease)build).PublishRelease(definition);
        foreach (var action in definition.Actions)
            await action(CancellationToken.None);
        return output.ToString();
    }
}
