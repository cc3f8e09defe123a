using System.Text.Json;
using Vteam.Build.Engine;
using Vteam.Build.Tools;
using Vteam.Build.Tools.TruffleHog;

namespace Vteam.Build.Policy.Secrets;

public sealed record SecretScanOptions(SecretScanSource Source, TruffleHogSettings Settings, SecretPolicy Policy, AbsolutePath ReportDirectory);

public sealed record SecretScanOutcome(SecretVerdict Verdict, string FindingsReport, string SarifReport);

/// <summary>
/// Runs trufflehog, parses its findings (registering every secret with the masker before anything is
/// printed), reports diagnostics, and writes a redacted findings file and a SARIF log.
/// </summary>
public sealed class SecretScanStage(ToolRunner runner, LocatedTool trufflehog)
{
    private static readonly JsonSerializerOptions FindingsJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task<SecretScanOutcome> ScanAsync(SecretScanOptions options, CancellationToken cancellation)
    {
        var result = await runner.RunAsync(TruffleHogCommands.Scan(trufflehog.Path, options.Source, options.Settings), cancellation);
        IReadOnlyList<SecretFinding> findings;
        try
        {
            findings = TruffleHogParser.Parse(result.StandardOutput, runner.Masker);
        }
        catch (FormatException e)
        {
            throw new ToolFailedException(runner.Unreadable(result, "JSON findings", e.Message), e);
        }
        if (result.FoundSomething && findings.Count == 0)
            throw new ToolFailedException(runner.Unreadable(result, "JSON findings", $"it exited with {TruffleHogCommands.FindingsExitCode} (results found) but printed no finding"));

        var verdict = SecretGate.Decide(findings, options.Policy);
        // The findings are reported by the target that gates on them (the scan may run in the background).

        var findingsFile = options.ReportDirectory / "trufflehog.findings.json";
        var sarifFile = options.ReportDirectory / "trufflehog.sarif";
        AtomicFile.WriteAllText(findingsFile, runner.Masker.Mask(JsonSerializer.Serialize(findings, FindingsJson)) + "\n");
        AtomicFile.WriteAllText(sarifFile, SecretSarif.Serialize(SecretSarif.Build(findings, options.Policy, trufflehog.Version.ToString(), runner.Masker), runner.Masker));
        return new SecretScanOutcome(verdict, findingsFile, sarifFile);
    }

    /// <summary>
    /// The git range to scan: the whole history by default; on a pull request (GITHUB_BASE_REF set) only
    /// the commits after the base branch, as trufflehog's CI recipe does (--since-commit base --branch HEAD).
    /// </summary>
    public static (string? SinceCommit, string? Branch) ResolveRange(string? sinceCommit, string? branch, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(sinceCommit)) return (sinceCommit, branch);
        if (environment("GITHUB_EVENT_NAME") is "pull_request" or "pull_request_target" && environment("GITHUB_BASE_REF") is { Length: > 0 } baseRef)
            return (baseRef, branch ?? "HEAD");
        return (null, branch);
    }
}
