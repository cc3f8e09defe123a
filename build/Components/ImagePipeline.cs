using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>
/// Per-image work shared between targets, so that an image's scan and SBOM start as soon as that image
/// is pushed rather than when every image is. Each (stage, component) runs once per run: the first
/// caller starts it (BuildImages, the moment the image is ready), later callers (the stage's own target)
/// await the same task. Work started in the background logs into a recording that is replayed under the
/// target that joins it, so its lines and findings belong to that target.
/// </summary>
public sealed class ImagePipeline
{
    private static readonly ConditionalWeakTable<INukeBuild, ImagePipeline> Pipelines = new();
    private readonly ConcurrentDictionary<(string Stage, string Component), Lazy<Task<Outcome>>> _work = new();

    private sealed record Outcome(object? Value, Exception? Failure, LogRecording? Recording);

    // The stage whose work is running on this async flow: work that joins its own stage (Start(..., () =>
    // ScanImageAsync(...)) where ScanImageAsync itself calls RunAsync) must run, not await itself.
    private static readonly AsyncLocal<(string Stage, string Component)?> Running = new();

    public static ImagePipeline For(INukeBuild build) => Pipelines.GetValue(build, _ => new ImagePipeline());

    /// <summary>Runs the stage for the component, or joins the run already under way (or finished).</summary>
    public async Task<T> RunAsync<T>(string stage, string component, Func<Task<T>> work)
    {
        if (Running.Value == (stage, component)) return await work();
        var outcome = await _work.GetOrAdd((stage, component), _ => new Lazy<Task<Outcome>>(() => Direct(stage, component, work))).Value;
        outcome.Recording?.Replay();
        if (outcome.Failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outcome.Failure);
        return (T)outcome.Value!;
    }

    /// <summary>Starts the stage in the background; its target joins it later through <see cref="RunAsync{T}"/>.</summary>
    public void Start<T>(string stage, string component, Func<Task<T>> work)
        => _ = _work.GetOrAdd((stage, component), _ => new Lazy<Task<Outcome>>(() => Task.Run(() => Recorded(stage, component, work)))).Value;

    private static async Task<Outcome> Direct<T>(string stage, string component, Func<Task<T>> work)
    {
        Running.Value = (stage, component);
        try { return new Outcome(await work(), null, null); }
        catch (Exception e) { return new Outcome(null, e, null); }
    }

    private static async Task<Outcome> Recorded<T>(string stage, string component, Func<Task<T>> work)
    {
        Running.Value = (stage, component);
        var recording = new LogRecording();
        using (Log.Record(recording))
        {
            try { return new Outcome(await work(), null, recording); }
            catch (Exception e) { return new Outcome(null, e, recording); }
        }
    }
}
