using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Support;

namespace Vteam.Build.Tests.Scanning;

/// <summary>A build with only the scanning capabilities, as another repository would compose it.</summary>
internal sealed class ScanBuild : NukeBuild, IScanVulnerabilities, IScanSecrets;

/// <summary>Runs <see cref="ScanBuild"/> through the real engine in a prepared root, capturing everything it prints.</summary>
internal sealed class ScanHarness
{
    public ScanHarness(string? root = null)
    {
        Root = root ?? Directory.CreateTempSubdirectory("scan-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        Directory.CreateDirectory(Path.Combine(Root, "build"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "build", "tools.json"), Path.Combine(Root, "build", "tools.json"), overwrite: true);
    }

    public string Root { get; }
    public string Artifacts => Path.Combine(Root, "artifacts");

    public void WriteManifest(BuildManifest manifest)
    {
        Directory.CreateDirectory(Artifacts);
        File.WriteAllText(Path.Combine(Artifacts, "images.json"), JsonSerializer.Serialize(manifest, BuildManifest.JsonOptions));
        ManifestStore.For(new AbsolutePath(Path.Combine(Artifacts, "images.json"))).Reload();
    }

    public BuildManifest ReadManifest()
        => JsonSerializer.Deserialize<BuildManifest>(File.ReadAllText(Path.Combine(Artifacts, "images.json")), BuildManifest.JsonOptions)!;

    public Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync<ScanBuild>(args);

    public async Task<(int ExitCode, string Output)> RunAsync<T>(params string[] args) where T : NukeBuild, new()
    {
        var output = new StringWriter();
        ManifestStore.For(new AbsolutePath(Path.Combine(Artifacts, "images.json"))).Reload();
        var exit = await BuildRunner.RunAsync(new T(), args, [], new RunEnvironment(output, _ => null, new AbsolutePath(Root), Ansi: false), CancellationToken.None);
        return (exit, output.ToString());
    }

    /// <summary>Every file the run wrote under artifacts/, for "the secret is nowhere" checks.</summary>
    public IEnumerable<(string Path, string Text)> ArtifactFiles()
        => Directory.Exists(Artifacts)
            ? Directory.EnumerateFiles(Artifacts, "*", SearchOption.AllDirectories).Select(p => (p, File.ReadAllText(p)))
            : [];
}

/// <summary>A build where another target starts an image's scan early, as BuildImages does when an image is pushed.</summary>
internal sealed class EarlyScanBuild : NukeBuild, IScanVulnerabilities
{
    Target StartScansEarly => _ => _.Executes(() =>
    {
        var self = (IScanVulnerabilities)this;
        foreach (var image in self.Manifest.Read().Images)
            // Exactly as Build.OnImageBuilt does it: the started work itself joins the "scan" stage.
            ImagePipeline.For(this).Start("scan", image.Component, () => self.ScanImageAsync(image, CancellationToken.None));
    });
}
