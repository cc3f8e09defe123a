using Vteam.Build.Components;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>Per-image stages started by BuildImages (OnImageBuilt) through their own entry point, then joined by their target.</summary>
public class ImagePipelineSpecs
{
    [Fact]
    public async Task A_stage_started_through_its_own_entry_point_runs_once_and_its_target_joins_it()
    {
        var pipeline = ImagePipeline.For(new SigningBuild());
        var runs = 0;
        // As GenerateSbomAsync and ScanImageAsync are written: the entry point itself goes through RunAsync.
        Task<int> GenerateSbomAsync() => pipeline.RunAsync("sbom", "backend", async () => { await Task.Delay(20); return Interlocked.Increment(ref runs); });

        pipeline.Start("sbom", "backend", GenerateSbomAsync);
        var joined = GenerateSbomAsync();

        Assert.True(await Task.WhenAny(joined, Task.Delay(TimeSpan.FromSeconds(10))) == joined, "the target never joined the started stage (it waited for itself)");
        Assert.Equal(1, await joined);
        Assert.Equal(1, runs);
    }
}
