namespace Vteam.Build.Reporting;

public enum KpiStatus { Pass, Fail, NotMeasured }

/// <summary>One row of the plan's Success Metrics: what it should be, what it is, and whether that passes.</summary>
public sealed record Kpi(string Id, string Name, string Target, string Actual, KpiStatus Status, string? Detail = null);

public sealed record ImageRow(
    string Component,
    string? Repository,
    string? Digest,
    IReadOnlyList<string> BaseImages,
    int? Critical,
    int? High,
    int? Medium,
    int? Low,
    int? Unknown,
    int? SbomPackages,
    string Signature);

/// <summary>The security report: every KPI of the plan and a row per image.</summary>
public sealed record SecurityReport(
    DateTimeOffset GeneratedAt,
    string? Version,
    string? GitCommit,
    IReadOnlyList<Kpi> Kpis,
    IReadOnlyList<ImageRow> Images)
{
    public bool Passed => Kpis.All(k => k.Status != KpiStatus.Fail);
    public IEnumerable<Kpi> Failing => Kpis.Where(k => k.Status == KpiStatus.Fail);
}

/// <summary>The thresholds the report measures against (the gates' own parameters).</summary>
public sealed record ReportPolicy(int MaxCriticalPerImage = 0, int MaxHighPerImage = 4);
