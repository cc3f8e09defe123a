using System.Collections.Concurrent;
using System.Globalization;
using Vteam.Build.Components;
using Vteam.Build.Engine;

namespace Vteam.Build.Containers.Build;

/// <summary>The base image references of one component, as its FROM lines name them.</summary>
public sealed record ComponentBases(ComponentSpec Component, IReadOnlyList<BaseImageReference> BaseImages);

/// <summary>
/// One BuildImages run: check the pins, build the components in parallel (bounded), push, and record each
/// image in the build manifest as soon as it is done. Every failure is reported before the run fails.
/// </summary>
public sealed class ImageBuildRun(ImageBuilder builder, ManifestStore manifest, string rootDirectory, Action<ImageRecord>? onRecorded = null)
{
    public const string UnpinnedRule = "unpinned-base-image";

    /// <summary>Refuses unpinned base images unless allowed (never in a release build); returns each component's bases.</summary>
    public static IReadOnlyList<ComponentBases> CheckPins(IReadOnlyList<ComponentSpec> components, ImageBuildSettings settings, string rootDirectory)
    {
        if (settings.AllowUnpinned && settings.IsRelease)
            throw new InvalidOperationException("A release build never allows --allow-unpinned: every base image must be pinned by digest. Run PinBaseImages and commit the pinned Dockerfiles.");

        var result = new List<ComponentBases>();
        var unpinned = 0;
        foreach (var component in components)
        {
            var identityArgs = ImageNaming.For(component, settings.Registry, settings.ImagePrefix, settings.Source).BuildArgs;
            var bases = DockerfileSteps.Load(component.Dockerfile).BaseImages(identityArgs);
            foreach (var reference in bases.Where(b => !b.Pinned))
            {
                unpinned++;
                Log.Report(new Diagnostic(
                    settings.AllowUnpinned ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
                    $"{component.Name}: base image {reference.Reference} is not pinned by digest (FROM …@sha256:…). Run PinBaseImages.",
                    Relative(component.Dockerfile, rootDirectory), reference.Line, UnpinnedRule));
            }
            result.Add(new ComponentBases(component, bases));
        }
        if (unpinned > 0 && !settings.AllowUnpinned)
            throw new InvalidOperationException($"{unpinned} base image reference{(unpinned == 1 ? " is" : "s are")} not pinned by digest (see above). Run PinBaseImages, or pass --allow-unpinned for a local, non-release build.");
        return result;
    }

    public Task<IReadOnlyList<BuiltImage>> RunAsync(IReadOnlyList<ComponentSpec> components, ImageBuildSettings settings, CancellationToken cancellationToken = default)
        => RunAsync(CheckPins(components, settings, rootDirectory), settings, cancellationToken);

    /// <summary>Builds components whose pins <see cref="CheckPins"/> has already checked.</summary>
    public async Task<IReadOnlyList<BuiltImage>> RunAsync(IReadOnlyList<ComponentBases> bases, ImageBuildSettings settings, CancellationToken cancellationToken = default)
    {
        var components = bases.Select(b => b.Component).ToList();
        manifest.Update(m =>
        {
            m.Version = settings.Source.Version;
            m.GitCommit = settings.Source.Commit;
            m.Registry = settings.Registry;
            m.CreatedAt ??= DateTimeOffset.UtcNow;
        });

        var built = new ConcurrentBag<BuiltImage>();
        var failures = new ConcurrentBag<ImageBuildException>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(bases, options, async (item, ct) =>
        {
            var identity = ImageNaming.For(item.Component, settings.Registry, settings.ImagePrefix, settings.Source);
            try
            {
                var image = await builder.BuildAsync(item.Component, identity, settings, ct);
                var record = Record(image, settings.Push);
                built.Add(image);
                // Later stages of this image (scan, SBOM) may start now, not when every image is built.
                onRecorded?.Invoke(record);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (e is not ImageBuildException) e = new ImageBuildException(item.Component.Name, $"{item.Component.Name}: {DockerEngine.Innermost(e)}", [], e);
                var failure = (ImageBuildException)e;
                Log.Error(failure.Message);
                if (failure.EngineLog.Count > 0 && !Log.IsVerbose)
                    Log.Information($"Full log of {item.Component.Name}:\n  {string.Join("\n  ", failure.EngineLog)}");
                failures.Add(failure);
            }
        });

        var results = built.OrderBy(b => b.Component.Name, StringComparer.Ordinal).ToList();
        if (results.Count > 0) Log.Table("Images", ["Component", "Image", "Digest / image id", "Size", "Build", "Cached"],
            results.Select(b => (IReadOnlyList<string>)
            [
                b.Component.Name,
                $"{b.Identity.Repository}:{string.Join(",", b.Identity.Tags)}",
                b.Digest ?? b.ImageId,
                $"{b.Size / 1024.0 / 1024.0:0.0} MiB",
                $"{b.BuildDuration.TotalSeconds:0.0} s",
                $"{b.CachedSteps}/{b.Steps}",
            ]));

        if (!failures.IsEmpty)
        {
            var names = failures.Select(f => f.Component).Order(StringComparer.Ordinal).ToList();
            throw new InvalidOperationException(
                $"{names.Count} of {components.Count} image{(components.Count == 1 ? "" : "s")} failed to build: {string.Join(", ", names)}.\n" +
                // Each failure was printed whole above; here its first line says what and where.
                string.Join("\n", failures.OrderBy(f => f.Component, StringComparer.Ordinal).Select(f => f.Message.Split('\n')[0])));
        }
        return results;
    }

    private ImageRecord Record(BuiltImage image, bool pushed)
    {
        manifest.Update(m =>
        {
            var record = m.GetOrAdd(image.Component.Name);
            record.Dockerfile = Relative(image.Component.Dockerfile, rootDirectory);
            record.Context = Relative(image.Component.Context, rootDirectory);
            record.TargetStage = image.Component.Target;
            record.Platforms = image.Component.Platforms.ToList();
            record.BaseImages = image.BaseImages.Select(b => new BaseImageRecord { Reference = b.Reference, Digest = b.Digest, Line = b.Line, Pinned = b.Pinned }).ToList();
            record.Repository = image.Identity.Repository;
            record.Tags = image.Identity.Tags.ToList();
            record.ImageId = image.ImageId;
            record.Size = image.Size;
            record.BuildSeconds = Math.Round(image.BuildDuration.TotalSeconds, 3);
            record.Pushed = pushed && image.Digest is not null;
            // Without a push there is no manifest digest: a stale one from an earlier run must not survive.
            record.Digest = image.Digest;
            record.ExportPath = image.ExportPath is null ? null : Relative(image.ExportPath, rootDirectory);
        });
        return manifest.Read().Find(image.Component.Name)!;
    }

    private static string Relative(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) ? path : relative;
    }

}
