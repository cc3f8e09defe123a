using System.Text.Json;
using NJsonSchema;
using Vteam.Build.Components;
using Vteam.Build.Tests.Rig;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tests.Tools;
using Xunit;

namespace Vteam.Build.Tests.Scanning;

/// <summary>
/// ScanVulnerabilities end to end: the real engine, images the rig pushed to its registry (scanned by
/// digest) or exported with docker save (scanned with --input), and the strict fake trivy.
/// </summary>
[Collection(RigCollection.Name)]
public class ScanVulnerabilitiesSpecs(RegistryRig rig)
{
    private readonly ScanHarness _harness = new();

    private async Task<BuildManifest> ImagesAsync()
    {
        var backendDigest = await RegistryRig.ImportBusyboxAsync(rig.Docker, $"{rig.RegistryHost}/vteam/backend:e2e");
        await RegistryRig.ImportBusyboxAsync(rig.Docker, $"{rig.RegistryHost}/vteam/frontend:e2e");
        var tarball = Path.Combine(_harness.Artifacts, "images", "frontend.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(tarball)!);
        await using (var saved = await rig.Docker.Images.SaveImageAsync($"{rig.RegistryHost}/vteam/frontend:e2e"))
        await using (var file = File.Create(tarball))
            await saved.CopyToAsync(file);
        return new BuildManifest
        {
            Images =
            [
                new ImageRecord { Component = "backend", Repository = $"{rig.RegistryHost}/vteam/backend", Digest = backendDigest, Pushed = true },
                // Built with --export and not pushed: scanned from its tarball.
                new ImageRecord { Component = "frontend", Repository = $"{rig.RegistryHost}/vteam/frontend", ExportPath = tarball },
                new ImageRecord { Component = "operator" },
            ],
        };
    }

    private static string Trivy(string log, params (string Name, string Value)[] environment)
        => FakeToolbox.Script("trivy", new Dictionary<string, string>(environment.Select(e => KeyValuePair.Create(e.Name, e.Value)).Append(KeyValuePair.Create("FAKE_TOOLS_LOG", log))));

    [RigFact]
    public async Task Images_are_scanned_by_digest_or_tarball_and_the_gate_decides_from_the_findings()
    {
        var manifest = await ImagesAsync();
        _harness.WriteManifest(manifest);
        var log = Path.Combine(_harness.Root, "calls.jsonl");
        var trivy = Trivy(log, ("FAKE_TRIVY_MODE", "critical,high=5,medium=3"), ("FAKE_TRIVY_MATCH", "backend"));

        var (exit, output) = await _harness.RunAsync("ScanVulnerabilities", "--trivy-path", trivy);

        Assert.Equal(1, exit);
        Assert.Contains("backend", output);
        Assert.Contains("fails the vulnerability policy: 2 critical (at most 0 allowed); 5 high (at most 4 allowed)", output);
        Assert.Contains("operator: skipped", output);
        var images = _harness.ReadManifest().Images.ToDictionary(i => i.Component);
        var backend = images["backend"].Scan!;
        var frontend = images["frontend"].Scan!;
        Assert.Equal((false, 2, 5, 3, $"{manifest.Images[0].Repository}@{manifest.Images[0].Digest}"), (backend.Passed, backend.Critical, backend.High, backend.Medium, backend.ScannedReference));
        Assert.Equal((true, 0, manifest.Images[1].ExportPath), (frontend.Passed, frontend.Critical, frontend.ScannedReference));
        Assert.Null(images["operator"].Scan);

        // The command lines trivy really got: the digest for one, --input for the other, never both.
        var calls = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray()).ToList();
        var scans = calls.Where(c => c[0] == "image").ToList();
        Assert.Contains(scans, c => c[^1] == backend.ScannedReference && !c.Contains("--input"));
        Assert.Contains(scans, c => c[^2..].SequenceEqual(["--input", frontend.ScannedReference!]));
        Assert.All(scans, c => Assert.Equal(Path.Combine(_harness.Root, ".nuke", "temp", "trivy"), c[Array.IndexOf(c, "--cache-dir") + 1]));
        Assert.Equal(2, calls.Count(c => c[0] == "convert"));

        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema("sarif-2.1.0.schema.json"));
        Assert.Empty(schema.Validate(await File.ReadAllTextAsync(backend.SarifReport!)));
        Assert.Contains("CVE-2019-14697", await File.ReadAllTextAsync(backend.SarifReport!));
        Assert.True(File.Exists(frontend.JsonReport));
    }

    [RigFact]
    public async Task Ignores_in_force_and_raised_thresholds_pass_and_an_expired_ignore_counts_again_with_a_warning()
    {
        _harness.WriteManifest(await ImagesAsync());
        var trivy = Trivy(Path.Combine(_harness.Root, "calls.jsonl"), ("FAKE_TRIVY_MODE", "critical,high=5"), ("FAKE_TRIVY_MATCH", "backend"));
        var ignoreFile = Path.Combine(_harness.Root, ".trivyignore.yaml");
        var later = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");
        var past = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");

        File.WriteAllText(ignoreFile, $"vulnerabilities:\n  - id: CVE-2019-14697\n    statement: musl x87 code is not built for amd64\n    expired_at: {later}\n");
        var (passExit, passOutput) = await _harness.RunAsync("ScanVulnerabilities", "--trivy-path", trivy, "--max-high", "5");
        var passed = _harness.ReadManifest().Images.Single(i => i.Component == "backend").Scan!;
        var passedSarif = await File.ReadAllTextAsync(passed.SarifReport!);

        File.WriteAllText(ignoreFile, $"vulnerabilities:\n  - id: CVE-2019-14697\n    statement: musl x87 code is not built for amd64\n    expired_at: {past}\n");
        var (failExit, failOutput) = await _harness.RunAsync("ScanVulnerabilities", "--trivy-path", trivy, "--max-high", "5");

        Assert.True(passExit == 0, passOutput);
        Assert.Equal((0, 5, 2, true), (passed.Critical, passed.High, passed.Ignored, passed.Passed));
        Assert.DoesNotContain("CVE-2019-14697", passedSarif);
        Assert.Contains("CVE-2099-", passedSarif);
        Assert.Equal(1, failExit);
        Assert.Contains($"{ignoreFile}:2: warning [trivy/expired-ignore]: the ignore of CVE-2019-14697 expired on {past}", failOutput);
        Assert.Contains("2 critical (at most 0 allowed)", failOutput);
    }

    [RigFact]
    public async Task An_air_gapped_run_uses_the_cached_db_and_never_downloads()
    {
        _harness.WriteManifest(await ImagesAsync());
        var log = Path.Combine(_harness.Root, "calls.jsonl");

        var (seedExit, seedOutput) = await _harness.RunAsync("ScanVulnerabilities", "--trivy-path", Trivy(log), "--trivy-db-repository", "mirror.local/trivy-db:2", "--verbose");
        var (offlineExit, offlineOutput) = await _harness.RunAsync("ScanVulnerabilities", "--trivy-path", Trivy(log, ("FAKE_TRIVY_NO_NETWORK", "1")), "--offline", "--verbose");

        Assert.True(seedExit == 0, seedOutput);
        Assert.True(offlineExit == 0, offlineOutput);
        Assert.Contains("Downloading vulnerability DB...\trepository=\"mirror.local/trivy-db:2\"", seedOutput);
        Assert.DoesNotContain("Downloading vulnerability DB", offlineOutput);
        var offlineScans = File.ReadAllLines(log).Skip(4).Where(l => l.Contains("\"image\"")).ToList();
        Assert.Equal(2, offlineScans.Count);
        Assert.All(offlineScans, l => Assert.Contains("\"--skip-db-update\",\"--skip-java-db-update\",\"--skip-check-update\",\"--offline-scan\"", l));
    }

    [RigFact]
    public async Task A_trivy_report_we_cannot_read_fails_that_image_with_a_clear_message_and_the_others_still_scan()
    {
        _harness.WriteManifest(await ImagesAsync());
        var crash = Trivy(Path.Combine(_harness.Root, "calls.jsonl"), ("FAKE_TRIVY_MODE", "garbage"), ("FAKE_TRIVY_MATCH", "backend"));

        var (exit, output) = await _harness.RunAsync("ScanVulnerabilities", "--trivy-path", crash);

        Assert.Equal(1, exit);
        Assert.Contains("backend", output);
        Assert.Contains("its JSON report could not be read", output);
        Assert.True(_harness.ReadManifest().Images.Single(i => i.Component == "frontend").Scan!.Passed);
    }
}
