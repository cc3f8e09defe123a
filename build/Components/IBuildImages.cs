using Vteam.Build.Containers.Build;
using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>
/// Builds every component's image with the Docker engine (DOCKER_HOST), pushes it with --push and records
/// repository, tags, digest, image id, size and build time in artifacts/images.json.
/// </summary>
public interface IBuildImages : IHazManifest, IHazVersion
{
    [Parameter("Registry host and path the images are named under, e.g. quay.io/ambient_code.")]
    string? Registry => TryGetValue(() => Registry);

    [Parameter("Prefix of every image name, e.g. vteam_ for quay.io/ambient_code/vteam_backend.")]
    string? ImagePrefix => TryGetValue(() => ImagePrefix);

    [Parameter("Build only these components (folder names under components/, or their component.yaml name).")]
    string[]? Components => TryGetValue(() => Components);

    [Parameter("Push the images to --registry and record their digests.")]
    bool? Push => TryGetValue(() => Push);

    [Parameter("Write `docker save` tarballs to artifacts/images/<component>.tar.")]
    bool? Export => TryGetValue(() => Export);

    [Parameter("How many images build at once (default: the number of cores).")]
    int? Parallelism => TryGetValue(() => Parallelism);

    [Parameter("Network mode of RUN steps (e.g. none, host); default: the engine's.")]
    string? Network => TryGetValue(() => Network);

    [Parameter("Always pull newer versions of the base images.")]
    bool? Pull => TryGetValue(() => Pull);

    [Parameter("Build without the engine's build cache.")]
    bool? NoCache => TryGetValue(() => NoCache);

    [Parameter("Build even when a base image is not pinned by digest (never in a release build).")]
    bool? AllowUnpinned => TryGetValue(() => AllowUnpinned);

    AbsolutePath ComponentsDirectory => RootDirectory / "components";

    /// <summary>A release build refuses --allow-unpinned: on CI for a tag (refs/tags/…); override to widen.</summary>
    bool IsReleaseBuild => IsServerBuild && (Environment.GetEnvironmentVariable("GITHUB_REF") ?? "").StartsWith("refs/tags/", StringComparison.Ordinal);

    /// <summary>
    /// Called as soon as an image is built (and pushed) and recorded in the manifest, while others still build:
    /// a build can start that image's later stages here (e.g. through <see cref="ImagePipeline"/>).
    /// </summary>
    void OnImageBuilt(ImageRecord image) { }

    /// <summary>Called when BuildImages starts: a build can start work that runs alongside the images here.</summary>
    void OnImagesStarting() { }

    /// <summary>The settings hook: a build can override this to change how images are built.</summary>
    ImageBuildSettings ImageBuildSettings(SourceRevision source) => new()
    {
        Registry = Registry,
        ImagePrefix = ImagePrefix,
        Source = source,
        Push = Push ?? false,
        ExportDirectory = Export == true ? (ArtifactsDirectory / "images").Value : null,
        Parallelism = Parallelism is > 0 ? Parallelism.Value : Environment.ProcessorCount,
        Network = string.IsNullOrWhiteSpace(Network) ? null : Network,
        PullAlways = Pull ?? false,
        NoCache = NoCache ?? false,
        AllowUnpinned = AllowUnpinned ?? false,
        IsRelease = IsReleaseBuild,
    };

    Target BuildImages => _ => _
        .Description("Builds every component image with the Docker engine; --push pushes them and records their digests in artifacts/images.json.")
        .Requires(() => Push != true || !string.IsNullOrWhiteSpace(Registry))
        .Executes(async ct =>
        {
            OnImagesStarting();
            var components = ComponentDiscovery.Discover(ComponentsDirectory, Components);
            if (components.Count == 0)
            {
                Log.Warning($"No components under {ComponentsDirectory}: nothing to build (a component is a folder with a Dockerfile).");
                return;
            }
            var settings = ImageBuildSettings(await GitSource.ReadAsync(RootDirectory, Version, ct));
            // Pins are checked before the engine is asked for anything.
            var bases = ImageBuildRun.CheckPins(components, settings, RootDirectory);

            using var docker = await DockerEngine.ConnectAsync(cancellationToken: ct);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var credentials = RegistryCredentials.Load();
            foreach (var login in credentials.AuthConfigs()) Log.Masker.Register(login.Password);
            var builder = new ImageBuilder(docker, credentials, new RegistryManifestCheck(http, credentials));
            Log.Information($"Building {components.Count} image{(components.Count == 1 ? "" : "s")} ({string.Join(", ", components.Select(c => c.Name))}), {settings.Parallelism} at a time{(settings.Push ? $", pushing to {settings.Registry}" : "")}.");
            await new ImageBuildRun(builder, Manifest, RootDirectory, OnImageBuilt).RunAsync(bases, settings, ct);
        });
}
