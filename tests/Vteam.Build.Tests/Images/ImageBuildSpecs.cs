using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text.Json;
using Docker.DotNet.Models;
using Vteam.Build.Components;
using Vteam.Build.Containers.Build;
using Vteam.Build.Engine;
using Vteam.Build.Tests.Rig;
using Xunit;

namespace Vteam.Build.Tests.Images;

/// <summary>BuildImages on the real engine, pushing to the rig's registry; fixtures are made per test in a temp dir.</summary>
[Collection(RigCollection.Name)]
public sealed class ImageBuildSpecs(RegistryRig rig) : IAsyncLifetime
{
    private readonly TempTree _repo = new();
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..10] + "_";
    private readonly HttpClient _http = new();

    private ImageBuildSettings Settings(bool push = false, int parallelism = 3, string? export = null) => new()
    {
        Registry = rig.RegistryHost,
        ImagePrefix = _prefix,
        Source = new SourceRevision("1.2.3", "89abcdef0123456789abcdef0123456789abcdef",
            new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), "https://example.test/vteam"),
        Push = push,
        Parallelism = parallelism,
        Network = "none",
        ExportDirectory = export,
    };

    private ComponentSpec Component(string name, string dockerfile, params (string Path, string Content)[] files)
    {
        _repo.Write($"components/{name}/Dockerfile", dockerfile.Replace("{BASE}", rig.BaseImagePinned));
        foreach (var (path, content) in files) _repo.Write($"components/{name}/{path}", content);
        return ComponentDiscovery.Read(_repo[$"components/{name}"], _repo.Root);
    }

    private ManifestStore Store => ManifestStore.For(new AbsolutePath(_repo["artifacts/images.json"]));

    private async Task<IReadOnlyList<BuiltImage>> RunAsync(IReadOnlyList<ComponentSpec> components, ImageBuildSettings settings, Action<ImageRecord>? onRecorded = null)
    {
        var builder = new ImageBuilder(rig.Docker, RegistryCredentials.None, new RegistryManifestCheck(_http, RegistryCredentials.None));
        return await new ImageBuildRun(builder, Store, _repo.Root, onRecorded).RunAsync(components, settings);
    }

    private async Task<string> RegistryDigestAsync(string repository, string tag)
    {
        var name = repository[(rig.RegistryHost.Length + 1)..];
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(rig.Registry.BaseUri, $"v2/{name}/manifests/{tag}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    [RigFact]
    public async Task Three_components_build_in_parallel_and_images_json_holds_the_digest_the_registry_serves()
    {
        var components = new[] { "alpha", "beta", "gamma" }
            .Select(n => Component(n, $"FROM {{BASE}}\nCOPY app.txt /app/\nRUN sleep 2 && cat /app/app.txt > /app/copy\n", ("app.txt", $"{n} {Guid.NewGuid()}")))
            .ToList();
        var output = new CapturedOutput();
        var recorded = new System.Collections.Concurrent.ConcurrentQueue<(string Component, string? Digest, bool InFile)>();

        using (output.Capture())
            await RunAsync(components, Settings(push: true, parallelism: 3),
                r => recorded.Enqueue((r.Component, r.Digest, File.ReadAllText(_repo["artifacts/images.json"]).Contains(r.Digest!, StringComparison.Ordinal))));

        var manifest = JsonSerializer.Deserialize<BuildManifest>(File.ReadAllText(_repo["artifacts/images.json"]), BuildManifest.JsonOptions)!;
        Assert.Equal(["alpha", "beta", "gamma"], manifest.Images.Select(i => i.Component).Order());
        foreach (var image in manifest.Images)
        {
            Assert.Equal($"{rig.RegistryHost}/{_prefix}{image.Component}", image.Repository);
            Assert.Equal(["1.2.3", "89abcdef0123"], image.Tags);
            Assert.True(image.Pushed);
            Assert.StartsWith("sha256:", image.Digest);
            foreach (var tag in image.Tags)
                Assert.Equal(await RegistryDigestAsync(image.Repository!, tag), image.Digest);
            Assert.StartsWith("sha256:", image.ImageId);
            Assert.True(image.Size > 0);
            Assert.True(image.BuildSeconds > 0);
            Assert.Equal($"components/{image.Component}/Dockerfile", image.Dockerfile);
            Assert.Equal($"components/{image.Component}", image.Context);
            var baseImage = Assert.Single(image.BaseImages);
            Assert.Equal((rig.BaseImagePinned, rig.BaseImageDigest, 1, true), (baseImage.Reference, baseImage.Digest, baseImage.Line, baseImage.Pinned));
        }
        // In parallel: every image started before any finished building (each RUN sleeps 2 s).
        var statuses = output.Statuses.ToList();
        var lastStart = statuses.Where(s => s.Text == "sending context").Max(s => s.At);
        var firstBuilt = statuses.Where(s => s.Text.StartsWith("built ", StringComparison.Ordinal)).Min(s => s.At);
        Assert.True(lastStart < firstBuilt, $"the builds ran one after another: last start {lastStart}, first finish {firstBuilt}");
        // Each image was handed on (for its scan and SBOM) once recorded, with its digest already in images.json.
        Assert.Equal(manifest.Images.Select(i => (i.Component, i.Digest, true)).Order(), recorded.Order());
        var inspected = await rig.Docker.Images.InspectImageAsync(manifest.Images[0].ImageId);
        Assert.Equal("89abcdef0123456789abcdef0123456789abcdef", inspected.Config.Labels["org.opencontainers.image.revision"]);
        Assert.Equal("1.2.3", inspected.Config.Labels["org.opencontainers.image.version"]);
    }

    [RigFact]
    public async Task An_unchanged_rebuild_is_served_from_the_build_cache()
    {
        var component = Component("cached", "FROM {BASE}\nARG VERSION\nCOPY . /src\nRUN echo \"$VERSION\" > /version && sleep 1\n", ("data.txt", Guid.NewGuid().ToString()));

        var first = (await RunAsync([component], Settings())).Single();
        var output = new CapturedOutput();
        IReadOnlyList<BuiltImage> again;
        using (output.Capture()) again = await RunAsync([component], Settings());
        var second = again.Single();

        Assert.Equal(0, first.CachedSteps);
        Assert.Equal(first.ImageId, second.ImageId);
        Assert.Equal(second.Steps - 1, second.CachedSteps); // every step after FROM, the labels included
        Assert.True(second.BuildDuration < first.BuildDuration, $"cached {second.BuildDuration} vs first {first.BuildDuration}");
        Assert.Contains(output.Statuses, s => s.Key == "cached" && s.Text.Contains($"({second.Steps - 1}/{second.Steps} steps from cache)"));
    }

    [RigFact]
    public async Task A_failing_RUN_names_its_step_its_command_its_line_and_its_last_output()
    {
        var component = Component("broken", "FROM {BASE}\nRUN echo fine\n# the next line fails\nRUN echo \"about to fail\" && exit 3\nRUN echo never\n");

        var output = new CapturedOutput();

        InvalidOperationException error;
        using (output.Capture()) error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync([component], Settings()));

        Assert.Contains("broken: step 3/", error.Message);
        Assert.Contains("`RUN echo \"about to fail\" && exit 3`", error.Message);
        Assert.Contains("exit code 3", error.Message);
        Assert.Contains($"{component.Dockerfile}:4", error.Message);
        Assert.DoesNotContain("echo never", error.Message);
        // The image's error, printed when it failed, carries the last lines of the step's output.
        var printed = Assert.Single(output.Messages, m => m.Level == LogLevel.Error).Message;
        Assert.StartsWith(error.Message.Split('\n')[1], printed);
        Assert.Contains("Last lines of its output:\n  about to fail", printed);
        // The full log follows the error, from the first step.
        Assert.Contains(output.Messages, m => m.Message.StartsWith("Full log of broken:", StringComparison.Ordinal) && m.Message.Contains("Step 1/"));
        Assert.Contains(output.Statuses, s => s.Key == "broken" && s.Text.StartsWith("failed at step 3/", StringComparison.Ordinal));
    }

    [RigFact]
    public async Task With_verbose_every_line_of_the_engine_log_is_printed_as_it_comes()
    {
        var component = Component("talkative", $"FROM {{BASE}}\nRUN echo marker-{Guid.NewGuid():N}\n");
        var output = new CapturedOutput();

        using (output.Capture(verbose: true)) await RunAsync([component], Settings());

        Assert.Contains(output.Messages, m => m.Level == LogLevel.Verbose && m.Message.StartsWith("[talkative] marker-", StringComparison.Ordinal));
        Assert.Contains(output.Messages, m => m.Level == LogLevel.Verbose && m.Message.StartsWith("[talkative] Step 2/3 : RUN echo marker-", StringComparison.Ordinal));
    }

    [RigFact]
    public async Task A_secret_listed_in_dockerignore_never_reaches_the_engine()
    {
        var files = new[] { (".dockerignore", "# secrets stay home\nsecret.txt\nconfig/*.pem\n"), ("secret.txt", "hunter2"), ("config/tls.pem", "KEY"), ("config/app.conf", "ok") };
        var copiesAll = Component("ignoring", "FROM {BASE}\nCOPY . /ctx\nRUN test ! -e /ctx/secret.txt && test ! -e /ctx/config/tls.pem && test -e /ctx/config/app.conf && test -e /ctx/Dockerfile && ! ls -a /ctx | grep -q dockerfile\\.\n", files);
        var wantsSecret = Component("leaking", "FROM {BASE}\nCOPY secret.txt /secret.txt\n", files);

        // What is streamed: read the very stream the engine would get.
        var context = new BuildContext(copiesAll.Context, copiesAll.Dockerfile);
        var names = new List<string>();
        await using (var streamed = context.Stream())
        await using (var reader = new TarReader(streamed.Content))
            while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        var built = await RunAsync([copiesAll], Settings());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync([wantsSecret], Settings()));

        Assert.Contains("config/app.conf", names);
        Assert.DoesNotContain(names, n => n.Contains("secret") || n.EndsWith(".pem", StringComparison.Ordinal));
        Assert.Single(built);
        Assert.Contains("leaking: step 2/", refused.Message);
        Assert.Contains("secret.txt", refused.Message);
    }

    [RigFact]
    public async Task Export_writes_a_docker_save_tarball_per_component()
    {
        var component = Component("exported", "FROM {BASE}\nRUN echo hi > /hi\n");
        var export = _repo["artifacts/images"];

        await RunAsync([component], Settings(export: export));

        var record = Assert.Single(Store.Read().Images);
        Assert.Equal("artifacts/images/exported.tar", record.ExportPath);
        Assert.Null(record.Digest);
        Assert.False(record.Pushed);
        await using var tar = new TarReader(File.OpenRead(Path.Combine(export, "exported.tar")));
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        Assert.Contains("manifest.json", names);
    }

    [RigFact]
    public async Task A_push_to_a_registry_that_wants_a_login_uses_the_docker_config_auths_and_masks_the_password()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var htpasswd = _repo.Write("htpasswd", "");
        var hash = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(
            CliWrap.Cli.Wrap(RigEnvironment.FindOnPath("htpasswd") ?? throw new InvalidOperationException("htpasswd is missing: apt-get install -y apache2-utils"))
                .WithArguments(["-nbB", "ci", password]));
        await File.WriteAllTextAsync(htpasswd, hash.StandardOutput.Trim() + "\n");
        await using var secured = await RegistryProcess.StartAsync(htpasswd);
        var config = _repo.Write("docker/config.json",
            $$"""{ "auths": { "{{secured.Host}}": { "auth": "{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"ci:{password}"))}}" } } }""");
        var credentials = RegistryCredentials.Load(config);
        var component = Component("private", "FROM {BASE}\nRUN echo private > /p\n");
        var output = new CapturedOutput();
        var builder = new ImageBuilder(rig.Docker, credentials, new RegistryManifestCheck(_http, credentials));

        using (output.Capture())
            await new ImageBuildRun(builder, Store, _repo.Root).RunAsync([component], Settings(push: true) with { Registry = secured.Host });

        var record = Assert.Single(Store.Read().Images);
        Assert.True(record.Pushed);
        Assert.StartsWith("sha256:", record.Digest);
        Assert.Equal($"{secured.Host}/{_prefix}private", record.Repository);
        using var anonymous = await _http.GetAsync(new Uri(secured.BaseUri, $"v2/{_prefix}private/manifests/1.2.3"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain(output.Messages, m => m.Message.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(output.Statuses, s => s.Text.Contains(password, StringComparison.Ordinal));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var images = await rig.Docker.Images.ListImagesAsync(new ImagesListParameters());
        foreach (var image in images.Where(i => i.RepoTags?.Any(t => t.Contains(_prefix, StringComparison.Ordinal)) == true))
        {
            try { await rig.Docker.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = true }); }
            catch (Docker.DotNet.DockerApiException) { }
        }
        _http.Dispose();
        _repo.Dispose();
    }
}
