using System.Globalization;

namespace Vteam.Build.Engine;

internal static class SummaryTable
{
    public static string Status(TargetResult r) => r.Status switch
    {
        TargetStatus.Skipped => $"Skipped ({r.Reason})",
        TargetStatus.NotRun when r.Reason is not null => $"NotRun ({r.Reason})",
        TargetStatus.Failed when r.Reason is not null => $"Failed ({r.Reason})",
        _ => r.Status.ToString(),
    };

    public static string Duration(TimeSpan d)
        => d == TimeSpan.Zero ? "" : d.TotalSeconds < 60 ? d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : $"{(int)d.TotalMinutes}:{d.Seconds:00} min";

    public static string Markdown(IReadOnlyList<TargetResult> results, TimeSpan total, bool succeeded)
    {
        var lines = new List<string> { "| Target | Status | Duration |", "| --- | --- | --- |" };
        lines.AddRange(results.Select(r => $"| {r.Name} | {Status(r).Replace("|", "\\|")} | {Duration(r.Duration)} |"));
        lines.Add($"| **Total** | **{(succeeded ? "Build succeeded" : "Build failed")}** | **{Duration(total)}** |");
        return string.Join("\n", lines) + "\n";
    }
}
