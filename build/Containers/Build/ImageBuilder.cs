using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Vteam.Build.Engine;

namespace Vteam.Build.Containers.Build;

/// <summary>How every image of a run is built: the switches of BuildImages.</summary>
public sealed record ImageBuildSettings
{
    public string? Registry { get; init; }
    public string? ImagePrefix { get; init; }
    public required SourceRevision Source { get; init; }
    public bool Push { get; init; }
    /// <summary>Where `docker save` tarballs go (artifacts/images); null to write none.</summary>
    public string? ExportDirectory { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>The network mode of RUN steps; null for the engine's default.</summary>
    public string? Network { get; init; }
    /// <summary>Pull newer versions of the base images even when they are present (the engine's pull=1).</summary>
    public bool PullAlways { get; init; }
    public bool NoCache { get; init; }
    public bool AllowUnpinned { get; init; }
    public bool IsRelease { get; init; }
}

/// <summary>What building (and pushing) one component produced.</summary>
public sealed record BuiltImage(
    ComponentSpec Component,
    ImageIdentity Identity,
    string DockerfileName,
    IReadOnlyList<BaseImageReference> BaseImages,
    string ImageId,
    long Size,
    TimeSpan BuildDuration,
    int Steps,
    int CachedSteps,
    string? Digest,
    string? ExportPath);

/// <summary>A build or push that failed, with a message that says where and what to do.</summary>
public sealed class ImageBuildException(string component, string message, IReadOnlyList<string> log, Exception? inner = null)
    : Exception(message, inner)
{
    public string Component { get; } = component;
    /// <summary>The full engine log of the image.</summary>
    public IReadOnlyList<string> EngineLog { get; } = log;
}

/// <summary>Builds one component's image on the engine, streams its progress, pushes it and checks the pushed digest.</summary>
public sealed class ImageBuilder(IDockerClient docker, RegistryCredentials credentials, RegistryManifestCheck registry)
{
    public async Task<BuiltImage> BuildAsync(ComponentSpec component, ImageIdentity identity, ImageBuildSettings settings, CancellationToken cancellationToken = default)
    {
        var dockerfile = DockerfileSteps.Load(component.Dockerfile);
        var context = new BuildContext(component.Context, component.Dockerfile, dockerfileContent: dockerfile.WithLabels(identity.Labels, component.Target));
        if (component.Platforms.Count > 1)
            throw new ImageBuildException(component.Name, $"{component.Name}: platforms {string.Join(", ", component.Platforms)} — the engine's builder makes one platform per build. List one platform in {Path.Combine(component.Directory, ComponentDiscovery.FileName)}.", []);

        var parameters = new ImageBuildParameters
        {
            Dockerfile = context.DockerfileName,
            Tags = identity.References.ToList(),
            BuildArgs = identity.BuildArgs.ToDictionary(),
            Target = component.Target,
            NetworkMode = settings.Network,
            Pull = settings.PullAlways ? "1" : null,
            NoCache = settings.NoCache ? true : null,
            Remove = true,
            ForceRemove = true,
            Platform = component.Platforms.Count == 1 ? component.Platforms[0] : null,
        };

        var progress = new BuildProgress();
        var shown = 0;
        var status = "";
        void OnMessage(EngineMessage message)
        {
            progress.Add(message);
            if (Log.IsVerbose)
                for (; shown < progress.Log.Count; shown++) Log.Verbose($"[{component.Name}] {progress.Log[shown]}");
            if (progress.StatusLine != status) Log.Status(component.Name, status = progress.StatusLine);
        }

        Log.Status(component.Name, "sending context");
        var clock = Stopwatch.StartNew();
        await using (var streamed = context.Stream(cancellationToken))
        {
            try
            {
                // Base images on a private registry are pulled with the docker config's logins.
                await docker.Images.BuildImageFromDockerfileAsync(parameters, streamed.Content, credentials.AuthConfigs(), null, new EngineMessages(OnMessage), cancellationToken);
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                if (streamed.Completion.IsFaulted) throw ContextFailed(component, context, streamed.Completion.Exception!);
                throw new ImageBuildException(component.Name,
                    $"{component.Name}: the engine refused the build of {component.Dockerfile} ({DockerEngine.Innermost(e)}). Fix the Dockerfile or the context {component.Context}.", progress.Log, e);
            }
            if (streamed.Completion.IsFaulted) throw ContextFailed(component, context, streamed.Completion.Exception!);
        }
        progress.Flush();
        var duration = clock.Elapsed;

        if (progress.Failure is { } failure)
        {
            Log.Status(component.Name, progress.StatusLine);
            throw new ImageBuildException(component.Name, BuildFailureReport.Describe(component, failure, dockerfile), progress.Log);
        }
        if (progress.ImageId is null)
            throw new ImageBuildException(component.Name, $"{component.Name}: the engine ended the build of {component.Dockerfile} without an image id. Run again with --verbose to see its log.", progress.Log);

        var image = await docker.Images.InspectImageAsync(progress.ImageId, cancellationToken);

        string? digest = null;
        if (settings.Push) digest = await PushAsync(component, identity, cancellationToken);

        string? exportPath = null;
        if (settings.ExportDirectory is not null)
        {
            Log.Status(component.Name, "exporting");
            exportPath = Path.Combine(settings.ExportDirectory, component.Name + ".tar");
            await using var saved = await docker.Images.SaveImageAsync(identity.References.First(), cancellationToken);
            await AtomicFile.WriteAsync(exportPath, s => saved.CopyToAsync(s, cancellationToken));
        }

        Log.Status(component.Name, digest is not null
            ? $"pushed {identity.Repository}@{digest} ({progress.CachedSteps}/{progress.TotalSteps} steps from cache)"
            : progress.StatusLine);
        return new BuiltImage(component, identity, context.DockerfileName, dockerfile.BaseImages(identity.BuildArgs), image.ID, image.Size,
            duration, progress.TotalSteps, progress.CachedSteps, digest, exportPath);
    }

    /// <summary>Pushes every tag, takes the manifest digest from the push's aux message and checks the registry serves it.</summary>
    private async Task<string> PushAsync(ComponentSpec component, ImageIdentity identity, CancellationToken cancellationToken)
    {
        var host = RegistryCredentials.RegistryHostOf(identity.Repository);
        var auth = credentials.AuthConfigFor(host);
        if (!string.IsNullOrEmpty(auth.Password)) Log.Masker.Register(auth.Password);

        string? digest = null;
        foreach (var tag in identity.Tags)
        {
            var push = new PushProgress();
            var status = "";
            try
            {
                await docker.Images.PushImageAsync(identity.Repository, new ImagePushParameters { Tag = tag }, auth,
                    new EngineMessages(m =>
                    {
                        push.Add(m);
                        if (push.StatusLine != status) Log.Status(component.Name, status = push.StatusLine);
                    }), cancellationToken);
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new ImageBuildException(component.Name, $"{component.Name}: pushing {identity.Repository}:{tag} failed ({DockerEngine.Innermost(e)}). Check the registry address and `docker login {host}`.", push.Log, e);
            }
            if (push.Error is not null)
                throw new ImageBuildException(component.Name, $"{component.Name}: pushing {identity.Repository}:{tag} failed: {push.Error}. Check the registry address and `docker login {host}`.", push.Log);
            if (push.Digest is null)
                throw new ImageBuildException(component.Name, $"{component.Name}: the push of {identity.Repository}:{tag} reported no digest. Run again with --verbose to see the engine's log.", push.Log);
            if (digest is not null && digest != push.Digest)
                throw new ImageBuildException(component.Name, $"{component.Name}: tag {tag} was pushed as {push.Digest} but an earlier tag as {digest}; another build is pushing to {identity.Repository}. Run again.", push.Log);
            digest = push.Digest;

            Log.Status(component.Name, $"checking {identity.Repository}:{tag} in the registry");
            var served = await registry.DigestAsync(identity.Repository, tag, cancellationToken);
            if (served != digest)
                throw new ImageBuildException(component.Name, $"{component.Name}: the push of {identity.Repository}:{tag} reported {digest} but the registry serves {served}. Another build may have pushed the tag since; run again.", push.Log);
        }
        return digest!;
    }

    private static ImageBuildException ContextFailed(ComponentSpec component, BuildContext context, AggregateException failure)
    {
        var inner = failure.InnerExceptions.Count == 1 ? failure.InnerExceptions[0] : failure;
        return new ImageBuildException(component.Name, $"{component.Name}: the build context {context.Directory} could not be read ({inner.Message}). Fix the file's permissions or list it in {Path.Combine(context.Directory, ".dockerignore")}.", [], inner);
    }
}

/// <summary>The message for a failed step: which step, its command, the Dockerfile line, the exit code and the last lines it printed.</summary>
public static class BuildFailureReport
{
    public static string Describe(ComponentSpec component, FailedStep failure, DockerfileSteps dockerfile)
    {
        var instruction = failure.Step > 0 ? dockerfile.Step(failure.Step, component.Target) : null;
        var where = instruction is null ? component.Dockerfile : $"{component.Dockerfile}:{instruction.Line}";
        var what = failure.Step > 0 ? $"step {failure.Step}/{failure.Total} `{failure.Instruction}`" : "the build";
        var code = failure.ExitCode is { } exit ? $" with exit code {exit}" : "";
        var lines = failure.LastLines.Count == 0 ? "" : $"\nLast lines of its output:\n  {string.Join("\n  ", failure.LastLines)}";
        return $"{component.Name}: {what} failed{code} at {where}: {failure.Error}{lines}\nFix the instruction at {where} and run BuildImages again.";
    }
}
