using Vteam.Build.Components;
using Vteam.Build.Tests.Tools;
using Xunit;

namespace Vteam.Build.Tests.Scanning;

public class ScanPipelineSpecs
{
    [Fact]
    public async Task A_scan_started_when_the_image_was_ready_is_joined_not_repeated()
    {
        var harness = new ScanHarness();
        harness.WriteManifest(new BuildManifest
        {
            Images =
            [
                new ImageRecord { Component = "backend", ExportPath = DockerArchive.Write(Path.Combine(harness.Artifacts, "images", "backend.tar")) },
                new ImageRecord { Component = "frontend", ExportPath = DockerArchive.Write(Path.Combine(harness.Artifacts, "images", "frontend.tar")) },
            ],
        });
        var log = Path.Combine(harness.Root, "calls.jsonl");
        var trivy = FakeToolbox.Script("trivy", new Dictionary<string, string> { ["FAKE_TOOLS_LOG"] = log });

        var (exit, output) = await harness.RunAsync<EarlyScanBuild>("StartScansEarly", "ScanVulnerabilities", "--trivy-path", trivy);

        Assert.True(exit == 0, output);
        var calls = File.ReadAllLines(log);
        Assert.True(2 == calls.Count(c => c.Contains("\"argv\":[\"image\"")), output + string.Join("\n", calls));
        Assert.Equal(1, calls.Count(c => c.Contains("\"argv\":[\"--version\"")));
        Assert.All(harness.ReadManifest().Images, i => Assert.True(i.Scan!.Passed));
    }
}
