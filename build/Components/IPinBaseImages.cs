using Vteam.Build.Containers;
using Vteam.Build.Containers.Build;
using Vteam.Build.Containers.Registry;
using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>
/// Pins base images (FROM, COPY --from, RUN --mount from) of components/**/Dockerfile, the image: fields of
/// components/manifests and the uses: of .github/workflows to digests and commit SHAs, and checks that they are.
/// </summary>
public interface IPinBaseImages : IHazManifest
{
    [Parameter("Re-resolve pinned references that carry a tag: VerifyPins reports drift, PinBaseImages updates it.")]
    bool? Refresh => TryGetValue(() => Refresh);

    [Parameter("Pin this platform's manifest of multi-arch images instead of the index, e.g. linux/amd64.")]
    string? Platform => TryGetValue(() => Platform);

    [Parameter("Resolve a registry through a mirror, e.g. docker.io=mirror.internal:5000; the original name is written.")]
    string[]? RegistryMirror => TryGetValue(() => RegistryMirror);

    [Parameter("Registries (host:port) that may be reached over plain HTTP; loopback always may.")]
    string[]? AllowInsecureRegistry => TryGetValue(() => AllowInsecureRegistry);

    [Parameter("Build arguments (NAME=value) that FROM lines see, as docker build --build-arg.")]
    string[]? BuildArgs => TryGetValue(() => BuildArgs);

    [Parameter("Image name prefixes this build produces, never pinned in manifests (default: --registry/--image-prefix).")]
    string[]? OwnImages => TryGetValue(() => OwnImages);

    [Parameter("Leave the uses: of .github/workflows alone (no GitHub API calls).")]
    bool? SkipActionPins => TryGetValue(() => SkipActionPins);

    [Parameter("Requests in flight at once to one registry while pinning (default 16).")]
    int? RegistryConcurrency => TryGetValue(() => RegistryConcurrency);

    Target PinBaseImages => _ => _
        .Description("Pin base images, manifest images and workflow actions to digests in place (--refresh updates drifted pins).")
        .Executes(ct => PinTargets.RunAsync(this, write: true, ct));

    Target VerifyPins => _ => _
        .Description("Fail with one finding per image or action not pinned to a digest (--refresh: also per drifted pin).")
        .After(PinBaseImages)
        .Executes(ct => PinTargets.RunAsync(this, write: false, ct));

    /// <summary>Settings hook: a build can override what is pinned and how.</summary>
    PinSettings PinSettings(bool write) => new()
    {
        Root = RootDirectory,
        Write = write,
        Refresh = Refresh ?? false,
        Platform = Platform is { Length: > 0 } platform ? Containers.Registry.Platform.Parse(platform) : null,
        BuildArgs = (BuildArgs ?? []).Select(a => a.Split('=', 2)).ToDictionary(
            p => p[0], p => p.Length == 2 ? p[1] : throw new FormatException($"--build-args '{p[0]}' is not NAME=value.")),
        OwnImagePrefixes = OwnImages ?? OwnImagesOfThisBuild,
    };

    /// <summary>Settings hook for the registry client.</summary>
    RegistryOptions PinRegistryOptions => new()
    {
        Mirrors = RegistryOptions.ParseMirrors(RegistryMirror),
        InsecureRegistries = new HashSet<string>(AllowInsecureRegistry ?? [], StringComparer.OrdinalIgnoreCase),
        MaxConcurrencyPerRegistry = RegistryConcurrency ?? 16,
    };

    /// <summary>
    /// The images this build produces: each component's image (a full name in its component.yaml, else
    /// --registry/--image-prefix + name when the build has IBuildImages and a registry).
    /// </summary>
    IReadOnlyCollection<string> OwnImagesOfThisBuild
    {
        get
        {
            var components = PinTargets.Components(this);
            var images = this as IBuildImages;
            return components
                .Select(c => c.ImageName.Contains('/') ? c.ImageName
                    : images?.Registry is { Length: > 0 } registry ? ImageNaming.Repository(registry, images.ImagePrefix, c.ImageName) : null)
                .OfType<string>()
                .Concat(images?.Registry is { Length: > 0 } all ? [$"{all.Trim().TrimEnd('/')}/{images.ImagePrefix}"] : [])
                .Distinct()
                .ToList();
        }
    }

    /// <summary>Where workflow refs are resolved; null leaves workflows alone. The token is the release's when the build has one.</summary>
    IActionRefResolver? ActionRefResolver => SkipActionPins == true
        ? null
        : GitHubActionRefResolver.Create(
            (this as IPublishRelease)?.GitHubToken ?? Environment.GetEnvironmentVariable("GITHUB_TOKEN"),
            (this as IPublishRelease)?.GitHubApiUrl is { Length: > 0 } api ? new Uri(api) : null);

    IRegistryCredentials RegistryCredentials => new DockerConfigCredentials();
}

/// <summary>The body of PinBaseImages and VerifyPins: run, print the table, report findings, record, fail.</summary>
internal static class PinTargets
{
    public const string UnpinnedRule = "pin/unpinned";
    public const string DriftRule = "pin/drift";
    public const string FailedRule = "pin/unresolved";

    public static async Task RunAsync(IPinBaseImages build, bool write, CancellationToken cancellationToken)
    {
        var settings = build.PinSettings(write);
        using var client = new RegistryClient(build.PinRegistryOptions, build.RegistryCredentials);
        var pinning = new BaseImagePinning(new ImageResolver(client), build.ActionRefResolver);
        var run = await pinning.RunAsync(settings, cancellationToken);

        var rows = run.Decisions.Where(d => d.Action != PinAction.Skipped).Select(d => (IReadOnlyList<string>)
        [
            d.Site.Location,
            d.Site.Written,
            d.Digest ?? "",
            d.Action.ToString().ToLowerInvariant(),
        ]).ToList();
        Log.Table(write ? "Pinned references" : "Pin check", ["Location", "Reference", "Digest", "Result"], rows);

        foreach (var file in run.Files.Where(f => f.Error is not null))
            Log.Report(DiagnosticSeverity.Error, file.Error!, file.File, file.ErrorLine, FailedRule);
        foreach (var decision in run.Decisions)
        {
            var rule = decision.Action switch
            {
                PinAction.Unpinned => UnpinnedRule,
                PinAction.Drifted => DriftRule,
                PinAction.Failed => FailedRule,
                _ => null,
            };
            if (rule is not null)
                Log.Report(DiagnosticSeverity.Error, decision.Message ?? decision.Site.Written, decision.Site.File, decision.Site.EditLine ?? decision.Site.Line, rule);
            else if (decision.Action == PinAction.Refreshed)
                Log.Information($"{decision.Site.Location}: {decision.Message}; updated.");
        }

        Record(build, settings, run);

        var written = run.Files.Count(f => f.Written);
        Log.Information($"{run.References} references, {run.PinnedNow} pinned, {written} file{(written == 1 ? "" : "s")} written, {run.Problems} problem{(run.Problems == 1 ? "" : "s")}.");
        if (run.Problems > 0)
            throw new InvalidOperationException(write
                ? $"PinBaseImages: {run.Problems} reference(s) could not be pinned (listed above with file:line); fix them and run ./build.sh PinBaseImages again."
                : $"VerifyPins: {run.Problems} reference(s) are not pinned{(settings.Refresh ? " or have drifted" : "")} (listed above with file:line); run ./build.sh PinBaseImages{(settings.Refresh ? " --refresh" : "")}.");
    }

    /// <summary>The components of the repository as BuildImages sees them; none when there is no components/ folder.</summary>
    public static IReadOnlyList<ComponentSpec> Components(IPinBaseImages build)
    {
        var folder = build.RootDirectory / "components";
        if (!folder.DirectoryExists()) return [];
        try
        {
            return ComponentDiscovery.Discover(folder);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or ArgumentException)
        {
            // Pinning does not need the components; BuildImages reports this problem as its own.
            Log.Warning($"Components are not known ({e.Message}); images of this build are told apart by --own-images only.");
            return [];
        }
    }

    private static void Record(IPinBaseImages build, PinSettings settings, PinRun run)
    {
        var components = Components(build).ToDictionary(c => Path.GetRelativePath(settings.Root, c.Dockerfile).Replace('\\', '/'), c => c.Name, StringComparer.Ordinal);
        build.Manifest.Update(manifest =>
        {
            manifest.Pins = new PinCheckRecord { References = run.References, Pinned = run.PinnedNow, Passed = run.Problems == 0 };
            foreach (var file in run.Files.Where(f => f.Plan is not null && IsDockerfile(f.File, settings)))
            {
                if (!components.TryGetValue(file.File, out var component)) continue;
                var image = manifest.GetOrAdd(component);
                image.Dockerfile ??= file.File;
                image.BaseImages = file.Plan!.Decisions
                    .Where(d => d.Action != PinAction.Skipped && d.Site.Kind is ImageUseKind.From or ImageUseKind.CopyFrom or ImageUseKind.MountFrom)
                    .Select(d => new BaseImageRecord
                    {
                        Reference = d.Site.Reference?.WithoutDigest().Familiar ?? d.Site.Via ?? d.Site.Written,
                        Digest = d.Digest ?? d.Site.Reference?.Digest,
                        Line = d.Site.Line,
                        Pinned = d.Action is PinAction.Pinned or PinAction.Unchanged or PinAction.Refreshed,
                    }).ToList();
            }
        });
    }

    private static bool IsDockerfile(string file, PinSettings settings)
        => file.StartsWith(settings.ComponentsFolder.Replace('\\', '/') + "/", StringComparison.Ordinal)
           && !file.StartsWith(settings.ManifestsFolder.Replace('\\', '/') + "/", StringComparison.Ordinal)
           && file.Split('/').Length >= 3;
}
