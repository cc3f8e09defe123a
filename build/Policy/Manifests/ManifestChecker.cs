using Vteam.Build.Engine;

namespace Vteam.Build.Policy.Manifests;

/// <summary>The figures the report shows (plan Success Metrics). Percentages are 0–100.</summary>
public sealed record ManifestKpis(
    int Workloads,
    double PodsNonRootPercent,
    double NetworkPolicyCoveragePercent,
    double? SecretRotationCompliancePercent,
    double MtlsCoveragePercent,
    int ExternalSecrets,
    bool RotationJobPresent);

public sealed record ManifestCheckReport(IReadOnlyList<ManifestFinding> Findings, ManifestKpis Kpis)
{
    public int Errors => Findings.Count(f => f.Severity == DiagnosticSeverity.Error);
    public int Warnings => Findings.Count(f => f.Severity == DiagnosticSeverity.Warning);
    public bool Passed => Errors == 0;
}

/// <summary>Runs every rule over a set of manifests: a pure function of the objects and the options.</summary>
public static class ManifestChecker
{
    public static ManifestCheckReport Check(ManifestSet set, ManifestCheckOptions? options = null)
    {
        options ??= new ManifestCheckOptions();
        var findings = new FindingList();
        PodSecurityChecks.Check(set, options, findings);
        NetworkPolicyChecks.Check(set, options, findings);
        RbacChecks.Check(set, options, findings);
        GuardrailChecks.Check(set, options, findings);
        SecretChecks.Check(set, options, findings);
        MtlsChecks.Check(set, options, findings);
        RuntimeProfileChecks.Check(set, options, findings);

        var ordered = findings.Items
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToArray();
        return new ManifestCheckReport(ordered, Kpis(set, options));
    }

    internal static ManifestKpis Kpis(ManifestSet set, ManifestCheckOptions options)
    {
        var workloads = set.Workloads;
        double Percent(Func<Workload, bool> holds) => workloads.Count == 0 ? 100 : Math.Round(100.0 * workloads.Count(holds) / workloads.Count, 1);

        var policies = NetworkPolicyChecks.Policies(set);
        var peers = MtlsChecks.PeerAuthentications(set);

        // Rotation compliance: ExternalSecrets within the refresh limit among all delivered secrets
        // (a committed Secret counts as one that is not rotated); nothing complies without a working rotation job.
        var external = set.OfKind("ExternalSecret").ToArray();
        var committed = set.OfKind("Secret").Count(s => s.Root.GetMap("data")?.Children.Count > 0 || s.Root.GetMap("stringData")?.Children.Count > 0);
        var rotationJobs = SecretChecks.RotationJobs(set, options).ToArray();
        var rotating = rotationJobs.Length > 0 && rotationJobs.All(j => SecretChecks.RotationProblem(j) is null);
        double? rotation = external.Length + committed == 0 ? null
            : !rotating ? 0
            : Math.Round(100.0 * external.Count(e => SecretChecks.RefreshProblem(e, options.ExternalSecretRefreshMaximum) is null) / (external.Length + committed), 1);

        return new ManifestKpis(
            workloads.Count,
            Percent(PodSecurityChecks.RunsAsNonRoot),
            Percent(w => NetworkPolicyChecks.Coverage(w, policies) == (true, true)),
            rotation,
            Percent(w => MtlsChecks.Covered(w, peers, options)),
            external.Length,
            rotationJobs.Length > 0);
    }
}
