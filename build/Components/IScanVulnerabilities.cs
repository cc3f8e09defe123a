using System.Runtime.CompilerServices;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Vulnerabilities;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Trivy;

namespace Vteam.Build.Components;

/// <summary>Trivy on every image of images.json (by digest, or its exported tarball), gated by severity thresholds.</summary>
public interface IScanVulnerabilities : IHazManifest, IHazTools
{
    private static readonly ConditionalWeakTable<IScanVulnerabilities, Lazy<Task<VulnerabilityScanStage>>> Scanners = new();

    [Parameter("Path of the trivy binary (else PATH, the tool cache, or a download of the pinned release).")]
    string? TrivyPath => TryGetValue(() => TrivyPath);

    [Parameter("Severities trivy reports (upper case): default UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL.")]
    string[]? TrivySeverities => TryGetValue(() => TrivySeverities);

    [Parameter("Count only vulnerabilities that have a fix (trivy --ignore-unfixed).")]
    bool? IgnoreUnfixed => TryGetValue(() => IgnoreUnfixed);

    [Parameter("Most critical vulnerabilities an image may have (default 0; -1 = no limit).")]
    int? MaxCritical => TryGetValue(() => MaxCritical);

    [Parameter("Most high vulnerabilities an image may have (default 4; -1 = no limit).")]
    int? MaxHigh => TryGetValue(() => MaxHigh);

    [Parameter("Most medium vulnerabilities an image may have (default: no limit).")]
    int? MaxMedium => TryGetValue(() => MaxMedium);

    [Parameter("Most low vulnerabilities an image may have (default: no limit).")]
    int? MaxLow => TryGetValue(() => MaxLow);

    [Parameter("OCI repository of the trivy vulnerability DB (a mirror for air-gapped runs).")]
    string? TrivyDbRepository => TryGetValue(() => TrivyDbRepository);

    [Parameter("OCI repository of the trivy Java DB (a mirror for air-gapped runs).")]
    string? TrivyJavaDbRepository => TryGetValue(() => TrivyJavaDbRepository);

    [Parameter("Do not update trivy's DBs: use what is in the cache (.nuke/temp/trivy). Implied by --offline.")]
    bool? SkipDbUpdate => TryGetValue(() => SkipDbUpdate);

    [Parameter("Trivy's ignore file (default .trivyignore.yaml at the root when present): ids with statement and expired_at.")]
    string? TrivyIgnoreFile => TryGetValue(() => TrivyIgnoreFile);

    // Not TRIVY_TIMEOUT: trivy itself reads that variable (as a duration).
    [Parameter("Minutes one trivy scan may take before it is killed (default 10).")]
    int? TrivyTimeoutMinutes => TryGetValue(() => TrivyTimeoutMinutes);

    [Parameter("How many images are scanned at once (default 2).")]
    int? ScanParallelism => TryGetValue(() => ScanParallelism);

    AbsolutePath VulnerabilityReportDirectory => ArtifactsDirectory / "scans";
    AbsolutePath TrivyCacheDirectory => TemporaryDirectory / "trivy";

    Target ScanVulnerabilities => _ => _
        .Description("Scan every image of images.json with trivy (by digest, or its exported tarball); write JSON and SARIF; gate on the thresholds.")
        .Executes(async cancellation =>
        {
            var images = Manifest.Read().Images;
            if (images.Count == 0)
            {
                Log.Warning($"{ManifestFile}: no images to scan. Run BuildImages first.");
                return;
            }
            var outcomes = await Task.WhenAll(images.Select(image => ScanImageAsync(image, cancellation)));
            Log.Table("Vulnerabilities", ["Image", "Critical", "High", "Medium", "Low", "Ignored", "Verdict"],
                outcomes.Select(o => (IReadOnlyList<string>)[o.Component,
                    $"{o.Verdict?.Counts.Critical}", $"{o.Verdict?.Counts.High}", $"{o.Verdict?.Counts.Medium}", $"{o.Verdict?.Counts.Low}",
                    $"{o.Verdict?.Ignored.Count}", o.Skipped ? "skipped" : o.Failure is not null ? "scan failed" : o.Passed ? "passed" : "FAILED"]));
            var failed = outcomes.Where(o => !o.Passed).ToList();
            if (failed.Count > 0)
                throw new InvalidOperationException(Masker.Mask(
                    $"ScanVulnerabilities: {failed.Count} of {outcomes.Length} image(s) failed:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, failed.Select(o => "  - " + (o.Failure ?? $"{o.Component}: {string.Join("; ", o.Verdict!.Violations)}"))) +
                    $"{Environment.NewLine}Reports: {VulnerabilityReportDirectory}. Thresholds: --max-critical, --max-high (or .nuke/parameters.json)."));
        });

    /// <summary>
    /// Scans one image and records the outcome in images.json, once per run: BuildImages may start it the
    /// moment the image is pushed (ImagePipeline stage "scan"); the target then joins that scan.
    /// </summary>
    Task<ImageScanOutcome> ScanImageAsync(ImageRecord image, CancellationToken cancellation)
        => ImagePipeline.For(this).RunAsync("scan", image.Component, async () =>
        {
            var scanner = await VulnerabilityScanner(cancellation);
            var outcome = await scanner.ScanImageAsync(image, cancellation);
            if (!outcome.Skipped) Manifest.Update(m => m.GetOrAdd(outcome.Component).Scan = ToRecord(outcome, scanner.Trivy));
            return outcome;
        });

    /// <summary>The run's scanner: trivy located (and its version checked) once, scans bounded by --scan-parallelism.</summary>
    Task<VulnerabilityScanStage> VulnerabilityScanner(CancellationToken cancellation)
        => Scanners.GetValue(this, build => new Lazy<Task<VulnerabilityScanStage>>(async () =>
            new VulnerabilityScanStage(build.ToolRunner,
                await build.Tools.LocateAsync("trivy", build.TrivyPath, build.Offline == true, cancellation),
                build.VulnerabilityScanOptions()))).Value;

    VulnerabilityScanOptions VulnerabilityScanOptions()
    {
        var ignoreFile = TrivyIgnoreFile is { Length: > 0 } configured
            ? Path.GetFullPath(configured, RootDirectory)
            : (RootDirectory / ".trivyignore.yaml") is var byDefault && byDefault.FileExists() ? byDefault.Value : null;
        if (ignoreFile is not null && !File.Exists(ignoreFile))
            throw new FileNotFoundException($"{ignoreFile}: the trivy ignore file named by --trivy-ignore-file does not exist.", ignoreFile);
        var offline = Offline == true;
        var settings = new TrivySettings
        {
            CacheDirectory = TrivyCacheDirectory,
            WorkingDirectory = TrivyCacheDirectory / "work",
            Severities = TrivySeverities is { Length: > 0 } severities ? severities : TrivySettings.AllSeverities,
            IgnoreUnfixed = IgnoreUnfixed == true,
            SkipDbUpdate = offline || SkipDbUpdate == true,
            OfflineScan = offline,
            DbRepository = TrivyDbRepository,
            JavaDbRepository = TrivyJavaDbRepository,
            Timeout = TimeSpan.FromMinutes(TrivyTimeoutMinutes ?? 10),
        };
        static int? Limit(int? value, int? fallback) => (value ?? fallback) is { } v && v >= 0 ? v : null;
        var thresholds = new VulnerabilityThresholds(
            MaxCritical: Limit(MaxCritical, 0), MaxHigh: Limit(MaxHigh, 4), MaxMedium: Limit(MaxMedium, null), MaxLow: Limit(MaxLow, null));
        return new VulnerabilityScanOptions(settings, thresholds,
            ignoreFile is null ? null : Policy.Vulnerabilities.TrivyIgnoreFile.Load(ignoreFile),
            VulnerabilityReportDirectory, ScanParallelism ?? 2, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    private static ScanRecord ToRecord(ImageScanOutcome outcome, LocatedTool trivy) => new()
    {
        Tool = "trivy",
        ToolVersion = trivy.Version.ToString(),
        JsonReport = outcome.JsonReport,
        SarifReport = outcome.SarifReport,
        Critical = outcome.Verdict?.Counts.Critical ?? 0,
        High = outcome.Verdict?.Counts.High ?? 0,
        Medium = outcome.Verdict?.Counts.Medium ?? 0,
        Low = outcome.Verdict?.Counts.Low ?? 0,
        Unknown = outcome.Verdict?.Counts.Unknown ?? 0,
        Ignored = outcome.Verdict?.Ignored.Count ?? 0,
        ImageSecrets = outcome.Verdict?.ImageSecrets.Count ?? 0,
        ExpiredIgnores = outcome.Verdict?.ExpiredIgnores.Count ?? 0,
        Violations = outcome.Failure is { } failure ? [failure] : outcome.Verdict?.Violations.ToList() ?? [],
        Passed = outcome.Passed,
        ScannedReference = outcome.ScannedReference,
        ScannedAt = DateTimeOffset.UtcNow,
    };
}
