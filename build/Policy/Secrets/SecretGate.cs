using Vteam.Build.Engine;
using Vteam.Build.Tools.TruffleHog;

namespace Vteam.Build.Policy.Secrets;

public enum SecretAction { Ignore, Note, Warn, Fail }

/// <summary>What each kind of finding does to the build. Default: a verified secret fails, an unknown one warns.</summary>
public sealed record SecretPolicy(SecretAction Verified = SecretAction.Fail, SecretAction Unknown = SecretAction.Warn, SecretAction Unverified = SecretAction.Note)
{
    public SecretAction For(SecretVerification verification) => verification switch
    {
        SecretVerification.Verified => Verified,
        SecretVerification.Unknown => Unknown,
        _ => Unverified,
    };
}

public sealed record SecretVerdict(
    IReadOnlyList<SecretFinding> Findings,
    IReadOnlyList<Diagnostic> Diagnostics,
    int Verified,
    int Unknown,
    int Unverified)
{
    public bool Passed => Diagnostics.All(d => d.Severity != DiagnosticSeverity.Error);
}

/// <summary>Turns trufflehog findings into diagnostics and a verdict. Messages carry the redacted value only.</summary>
public static class SecretGate
{
    public const string RulePrefix = "secret/";

    public static SecretVerdict Decide(IReadOnlyList<SecretFinding> findings, SecretPolicy policy)
    {
        var diagnostics = new List<Diagnostic>();
        foreach (var finding in findings)
        {
            var severity = ToSeverity(policy.For(finding.Verification));
            if (severity is null) continue;
            diagnostics.Add(new Diagnostic(severity.Value, Describe(finding), finding.File, finding.Line, RulePrefix + finding.Detector));
        }
        return new SecretVerdict(findings, diagnostics,
            findings.Count(f => f.Verification == SecretVerification.Verified),
            findings.Count(f => f.Verification == SecretVerification.Unknown),
            findings.Count(f => f.Verification == SecretVerification.Unverified));
    }

    public static DiagnosticSeverity? ToSeverity(SecretAction action) => action switch
    {
        SecretAction.Fail => DiagnosticSeverity.Error,
        SecretAction.Warn => DiagnosticSeverity.Warning,
        SecretAction.Note => DiagnosticSeverity.Note,
        _ => null,
    };

    public static string Describe(SecretFinding finding)
    {
        var what = finding.Verification switch
        {
            SecretVerification.Verified => $"a live {finding.Detector} secret (verified with the provider)",
            SecretVerification.Unknown => $"a {finding.Detector} secret that could not be verified ({finding.VerificationError})",
            _ => $"a possible {finding.Detector} secret (unverified)",
        };
        var shown = finding.Redacted.Length > 0 ? $" '{finding.Redacted}'" : "";
        var commit = finding.Commit is { Length: >= 7 } c ? $" in commit {c[..12.Clamp(c.Length)]}" : "";
        var next = finding.Verification == SecretVerification.Verified
            ? " Revoke and rotate it now, then remove it from the history."
            : " Check it; if real, rotate it; if not, add the path to the exclude file.";
        return $"{finding.Location}: {what}{shown}{commit}.{next}";
    }

    private static int Clamp(this int value, int max) => Math.Min(value, max);
}
