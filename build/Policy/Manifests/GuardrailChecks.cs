using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Plan 2.3: quota and limits per namespace, a disruption budget per Deployment.</summary>
internal static class GuardrailChecks
{
    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        foreach (var ns in set.WorkloadNamespaces)
        {
            var (file, line) = set.NamespaceLocation(ns);
            if (!set.OfKind("ResourceQuota", ns).Any())
                findings.Add(NamespaceResourceQuota, $"Namespace {ns} holds workloads but no ResourceQuota.", file, line);
            if (!set.OfKind("LimitRange", ns).Any())
                findings.Add(NamespaceLimitRange, $"Namespace {ns} holds workloads but no LimitRange.", file, line);
        }

        // A PDB without selector selects no pods; an empty one (policy/v1) selects the whole namespace.
        var budgets = set.OfKind("PodDisruptionBudget").Where(p => p.Spec.GetMap("selector") is not null)
            .Select(p => (p.Namespace, Selector: LabelSelector.Parse(p.Spec.GetMap("selector")))).ToArray();
        foreach (var w in set.Workloads.Where(w => w.Object.Is("Deployment")))
        {
            if (!budgets.Any(b => b.Namespace == w.Namespace && b.Selector.Matches(w.PodLabels)))
                findings.Add(DeploymentDisruptionBudget, $"{w.Describe()}: no PodDisruptionBudget selects its pods.", w.Object, w.Object.NameLine);
        }
    }
}
