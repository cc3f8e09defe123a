using YamlDotNet.RepresentationModel;
using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Plan 1.2: every pod isolated both ways, and no egress to everywhere but the runner's 443.</summary>
internal static class NetworkPolicyChecks
{
    internal sealed record Policy(ManifestObject Object, LabelSelector Selector, bool Ingress, bool Egress)
    {
        public static Policy From(ManifestObject o)
        {
            var spec = o.Spec;
            var types = spec.GetSeq("policyTypes").Scalars().Select(s => s.Value).ToArray();
            // Without policyTypes, Kubernetes assumes Ingress, and Egress when the policy has egress rules.
            var ingress = types.Length == 0 || types.Contains("Ingress");
            var egress = types.Length == 0 ? spec.GetKey("egress") is not null : types.Contains("Egress");
            return new Policy(o, LabelSelector.Parse(spec.GetMap("podSelector")), ingress, egress);
        }
    }

    internal static IReadOnlyList<Policy> Policies(ManifestSet set) => set.OfKind("NetworkPolicy").Select(Policy.From).ToArray();

    /// <summary>Ingress and Egress isolation of a workload's pods.</summary>
    internal static (bool Ingress, bool Egress) Coverage(Workload w, IReadOnlyList<Policy> policies)
    {
        var selecting = policies.Where(p => p.Object.Namespace == w.Namespace && p.Selector.Matches(w.PodLabels)).ToArray();
        return (selecting.Any(p => p.Ingress), selecting.Any(p => p.Egress));
    }

    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        var policies = Policies(set);
        foreach (var w in set.Workloads)
        {
            var (ingress, egress) = Coverage(w, policies);
            if (ingress && egress) continue;
            var missing = string.Join(" and ", new[] { ingress ? null : "Ingress", egress ? null : "Egress" }.OfType<string>());
            findings.Add(NetworkPolicyCoverage, $"{w.Describe()}: no NetworkPolicy in {w.Namespace} selects its pods for {missing}.", w.Object, w.Object.NameLine);
        }

        foreach (var policy in policies)
            CheckEgress(policy, options, findings);
    }

    private static void CheckEgress(Policy policy, ManifestCheckOptions options, FindingList findings)
    {
        var o = policy.Object;
        var runnerOnly = o.Spec.GetMap("podSelector").GetMap("matchLabels").GetString("app") == options.RunnerApp;
        foreach (var rule in o.Spec.GetSeq("egress").Maps())
        {
            var peers = rule.GetSeq("to").Maps().ToArray();
            // An egress rule without peers allows every destination; so does an ipBlock of the whole address space.
            var open = peers.Length == 0
                ? rule.Line()
                : peers.Select(p => p.GetMap("ipBlock")).Where(b => b.GetString("cidr") is "0.0.0.0/0" or "::/0")
                    .Select(b => b!.KeyLine("cidr")).Cast<int?>().FirstOrDefault();
            if (open is not { } line) continue;
            if (runnerOnly && OnlyPort(rule, options.RunnerEgressPort)) continue;
            findings.Add(NoOpenEgress, runnerOnly
                ? $"NetworkPolicy {o.Name}: the runner's egress to any address allows more than TCP {options.RunnerEgressPort}."
                : $"NetworkPolicy {o.Name}: an egress rule allows any destination; only pods app: {options.RunnerApp} may, on TCP {options.RunnerEgressPort}.",
                o, line);
        }
    }

    private static bool OnlyPort(YamlMappingNode rule, int port)
    {
        var ports = rule.GetSeq("ports").Maps().ToArray();
        return ports.Length > 0 && ports.All(p =>
            (p.GetString("protocol") ?? "TCP") == "TCP" && p.GetString("port") == port.ToString(System.Globalization.CultureInfo.InvariantCulture) && p.GetKey("endPort") is null);
    }
}
