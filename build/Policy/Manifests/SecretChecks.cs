using YamlDotNet.RepresentationModel;
using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>
/// Plan 2.1: secrets come from ExternalSecrets, refresh often enough, and are rotated. A committed
/// Secret is reported by name and number of keys only: its values are never read into a message.
/// </summary>
internal static class SecretChecks
{
    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        foreach (var secret in set.OfKind("Secret"))
            foreach (var field in new[] { "data", "stringData" })
                if (secret.Root.Get(field) is YamlMappingNode { Children.Count: > 0 } values)
                    findings.Add(NoCommittedSecret,
                        $"Secret {secret.Name} commits {values.Children.Count} value(s) in {field}; serve it from an ExternalSecret and rotate the committed value(s).",
                        secret, secret.Root.KeyLine(field));

        foreach (var external in set.OfKind("ExternalSecret"))
            if (RefreshProblem(external, options.ExternalSecretRefreshMaximum) is { } problem)
                findings.Add(ExternalSecretRefresh, $"ExternalSecret {external.Name}: {problem}", external, problem.Line);

        CheckRotation(set, options, findings);
    }

    internal sealed record Problem(string Text, int Line)
    {
        public override string ToString() => Text;
    }

    internal static Problem? RefreshProblem(ManifestObject external, TimeSpan maximum)
    {
        var spec = external.Spec;
        var max = GoDuration.Format(maximum);
        if (spec?.Get("refreshInterval") is not YamlScalarNode { Value: { } text } node)
            return new Problem($"no refreshInterval; set one no longer than {max}.", external.Root.KeyLine("spec"));
        if (!GoDuration.TryParse(text, out var interval))
            return new Problem($"refreshInterval '{text}' is not a duration (like 1h or 30m).", node.Line());
        if (interval <= TimeSpan.Zero)
            return new Problem($"refreshInterval {text} never refreshes; set one no longer than {max}.", node.Line());
        return interval > maximum ? new Problem($"refreshInterval {text} is longer than the maximum {max}.", node.Line()) : null;
    }

    internal static IEnumerable<ManifestObject> RotationJobs(ManifestSet set, ManifestCheckOptions options)
        => set.OfKind("CronJob").Where(c => c.Labels.TryGetValue("app.kubernetes.io/component", out var v) && v == options.RotationComponentLabel);

    internal static Problem? RotationProblem(ManifestObject job)
    {
        var spec = job.Spec;
        if (spec.GetBool("suspend") == true)
            return new Problem("is suspended, so secrets are never rotated.", spec!.KeyLine("suspend"));
        var scheduleNode = spec.Get("schedule") as YamlScalarNode;
        var line = scheduleNode?.Line() ?? spec?.Line() ?? job.Line;
        if (!CronSchedule.TryParse(scheduleNode?.Value, out var schedule, out var error))
            return new Problem($"schedule '{scheduleNode?.Value}' cannot be read: {error}.", line);
        return schedule.LongestGapDays() switch
        {
            null => new Problem($"schedule '{scheduleNode!.Value}' never fires.", line),
            > 31 and var gap => new Problem($"schedule '{scheduleNode!.Value}' leaves up to {gap:0} days between rotations; it must run at least monthly.", line),
            _ => null,
        };
    }

    private static void CheckRotation(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        var jobs = RotationJobs(set, options).ToArray();
        if (jobs.Length == 0)
        {
            var at = set.OfKind("ExternalSecret").Concat(set.OfKind("SecretStore")).FirstOrDefault();
            var (file, line) = at is not null ? (at.File, at.NameLine)
                : set.WorkloadNamespaces.Count > 0 ? set.NamespaceLocation(set.WorkloadNamespaces[0]) : ((string?)null, 0);
            findings.Add(RotationCronJob,
                $"No CronJob labelled app.kubernetes.io/component: {options.RotationComponentLabel} rotates the secrets.", file, line > 0 ? line : null);
            return;
        }
        foreach (var job in jobs)
            if (RotationProblem(job) is { } problem)
                findings.Add(RotationCronJob, $"CronJob {job.Name} {problem}", job, problem.Line);
    }
}
