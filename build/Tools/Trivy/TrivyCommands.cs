using System.Text.RegularExpressions;
using CliWrap;

namespace Vteam.Build.Tools.Trivy;

/// <summary>What trivy scans: an image in a registry by digest, or a docker save / OCI tarball.</summary>
public abstract record TrivyTarget
{
    private TrivyTarget() { }

    /// <summary>repo@sha256:… — a tag can move, so only digests are accepted.</summary>
    public sealed record RegistryImage(string DigestReference) : TrivyTarget;

    /// <summary>A tarball written by docker save (or an OCI archive), scanned with --input.</summary>
    public sealed record Archive(string Path) : TrivyTarget;
}

/// <summary>How trivy runs for this build (from parameters): severities, DB, cache, air-gapped switches.</summary>
public sealed record TrivySettings
{
    public static readonly IReadOnlyList<string> AllSeverities = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

    public required string CacheDirectory { get; init; }
    /// <summary>Trivy's working directory: empty, so no stray .trivyignore or trivy.yaml is picked up.</summary>
    public required string WorkingDirectory { get; init; }
    public IReadOnlyList<string> Severities { get; init; } = AllSeverities;
    public IReadOnlyList<string> Scanners { get; init; } = ["vuln", "secret"];
    public bool IgnoreUnfixed { get; init; }
    public bool SkipDbUpdate { get; init; }
    /// <summary>No API lookups while scanning (--offline-scan); pair with SkipDbUpdate for air-gapped runs.</summary>
    public bool OfflineScan { get; init; }
    public string? DbRepository { get; init; }
    public string? JavaDbRepository { get; init; }
    public bool InsecureRegistry { get; init; }
    public string? Platform { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public string? RegistryUsername { get; init; }
    public string? RegistryPassword { get; init; }
}

/// <summary>
/// Pure factories for trivy's command lines (tool-contracts.md §1). Nothing here runs anything.
/// </summary>
public static partial class TrivyCommands
{
    /// <summary>Passed as --exit-code so "found something" (4) differs from a fatal error (1).</summary>
    public const int FindingsExitCode = 4;

    public static readonly ToolExitCodes ExitCodes = ToolExitCodes.Of([0], [FindingsExitCode],
        new Dictionary<int, string> { [1] = "fatal error (see FATAL on stderr)", [FindingsExitCode] = "findings (--exit-code)" });

    /// <summary><c>trivy image --format json --output FILE … (REF@sha256:… | --input TAR)</c>.</summary>
    public static ToolInvocation ImageScan(string trivy, TrivySettings settings, TrivyTarget target, string jsonOutput)
    {
        Validate(settings);
        if (target is TrivyTarget.RegistryImage image && !DigestReference().IsMatch(image.DigestReference))
            throw new ArgumentException(
                $"trivy scans images by digest, but '{image.DigestReference}' is not repository@sha256:<64 hex>. Push the image first (BuildImages --push) or scan its --export tarball.");
        var command = Cli.Wrap(trivy)
            .WithWorkingDirectory(settings.WorkingDirectory)
            .WithArguments(a =>
            {
                a.Add("image")
                    .Add("--format").Add("json")
                    .Add("--output").Add(jsonOutput)
                    .Add("--exit-code").Add(FindingsExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Add("--severity").Add(string.Join(',', settings.Severities))
                    .Add("--scanners").Add(string.Join(',', settings.Scanners))
                    .Add("--cache-dir").Add(settings.CacheDirectory)
                    .Add("--timeout").Add($"{(int)settings.Timeout.TotalSeconds}s")
                    .Add("--no-progress")
                    .Add("--skip-version-check")
                    .Add("--disable-telemetry");
                if (settings.IgnoreUnfixed) a.Add("--ignore-unfixed");
                if (settings.SkipDbUpdate) a.Add("--skip-db-update").Add("--skip-java-db-update").Add("--skip-check-update");
                if (settings.OfflineScan) a.Add("--offline-scan");
                if (settings.DbRepository is { Length: > 0 } db) a.Add("--db-repository").Add(db);
                if (settings.JavaDbRepository is { Length: > 0 } javaDb) a.Add("--java-db-repository").Add(javaDb);
                if (settings.InsecureRegistry) a.Add("--insecure");
                if (settings.Platform is { Length: > 0 } platform) a.Add("--platform").Add(platform);
                // Never both: trivy given a name and --input silently scans --input.
                switch (target)
                {
                    case TrivyTarget.Archive archive: a.Add("--input").Add(archive.Path); break;
                    case TrivyTarget.RegistryImage registry: a.Add(registry.DigestReference); break;
                }
            });
        return new ToolInvocation("trivy", command, settings.Timeout + TimeSpan.FromMinutes(1), ExitCodes, Credentials(settings));
    }

    /// <summary>
    /// <c>trivy convert --format sarif --output FILE [--ignorefile F] JSON</c>: the SARIF of a saved JSON
    /// report, without scanning again; the ignore file is applied here so the SARIF shows what the gate counted.
    /// </summary>
    public static ToolInvocation ConvertToSarif(string trivy, TrivySettings settings, string jsonReport, string sarifOutput, string? ignoreFile)
    {
        var command = Cli.Wrap(trivy)
            .WithWorkingDirectory(settings.WorkingDirectory)
            .WithArguments(a =>
            {
                a.Add("convert").Add("--format").Add("sarif").Add("--output").Add(sarifOutput);
                if (ignoreFile is not null) a.Add("--ignorefile").Add(ignoreFile);
                a.Add(jsonReport);
            });
        return new ToolInvocation("trivy", command, TimeSpan.FromMinutes(2), ToolExitCodes.Of([0]));
    }

    private static Dictionary<string, string>? Credentials(TrivySettings settings)
        => settings.RegistryUsername is { Length: > 0 } user && settings.RegistryPassword is { Length: > 0 } password
            // By environment, never argv (trivy's help recommends TRIVY_PASSWORD over --password).
            ? new Dictionary<string, string> { ["TRIVY_USERNAME"] = user, ["TRIVY_PASSWORD"] = password }
            : null;

    private static void Validate(TrivySettings settings)
    {
        // Severity values are case-sensitive in trivy: "high" is an error.
        var wrong = settings.Severities.Where(s => !TrivySettings.AllSeverities.Contains(s, StringComparer.Ordinal)).ToList();
        if (wrong.Count > 0 || settings.Severities.Count == 0)
            throw new ArgumentException(
                $"trivy severities must be some of {string.Join(",", TrivySettings.AllSeverities)} (upper case); got '{string.Join(",", settings.Severities)}'. Fix --trivy-severities.");
    }

    [GeneratedRegex("^[^@\\s]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestReference();
}
