using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>
/// Per-image work shared between targets, so that an image's scan and SBOM start as soon as that image
/// is pushed rather than when every image is. Each (stage, component) runs once per run: the first
/// caller starts it (BuildImages, the moment the image is ready), later callers (the stage's own target)
/// await the same task.
/// </summary>
public sealed class ImagePipeline
{
    private static readonly ConditionalWeakTable<INukeBuild, ImagePipeline> Pipelines = new();
    private readonly ConcurrentDictionary<(string Stage, string Component), Lazy<Task<object?>>> _work = new();

    public static ImagePipeline For(INukeBuild build) => Pipelines.GetValue(build, _ => new ImagePipeline());

    /// <summary>Runs the stage for the component, or joins the run already under way (or finished).</summary>
    public async Task<T> RunAsync<T>(string stage, string component, Func<Task<T>> work)
        => (T)(await _work.GetOrAdd((stage, component), _ => new Lazy<Task<object?>>(async () => await work())).Value)!;

    /// <summary>Starts the stage in the background; its target awaits it later through <see cref="RunAsync{T}"/>.</summary>
    public void Start<T>(string stage, string component, Func<Task<T>> work)
    {
        var task = RunAsync(stage, component, () => Task.Run(work));
        // Failures surface when the stage's target awaits the task; do not let them go unobserved.
        task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>The task of a stage already started for a component, if any.</summary>
    public Task? Started(string stage, string component)
        => _work.TryGetValue((stage, component), out var lazy) && lazy.IsValueCreated ? lazy.Value : null;
}
