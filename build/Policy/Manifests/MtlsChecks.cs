using YamlDotNet.RepresentationModel;
using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Plan 2.2: STRICT mutual TLS for every namespace with workloads, and nothing that turns it off.</summary>
internal static class MtlsChecks
{
    private static readonly string[] Downgrades = ["PERMISSIVE", "DISABLE"];

    internal sealed record PeerAuthentication(ManifestObject Object, LabelSelector? Selector, YamlScalarNode? Mode)
    {
        public bool NamespaceWide => Selector is null || Selector.IsEmpty;

        public static PeerAuthentication From(ManifestObject o)
        {
            var selector = o.Spec.GetMap("selector");
            return new PeerAuthentication(o, selector is null ? null : LabelSelector.Parse(selector), o.Spec.GetMap("mtls").Get("mode") as YamlScalarNode);
        }

        /// <summary>Each PERMISSIVE or DISABLE mode in the policy (its own and its port-level ones).</summary>
        public IEnumerable<(string Where, YamlScalarNode Mode)> DowngradingModes()
        {
            if (Mode is { Value: var m } && Downgrades.Contains(m)) yield return ("mtls.mode", Mode);
            foreach (var (port, setting) in Object.Spec.GetMap("portLevelMtls")?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
                if ((setting as YamlMappingNode).Get("mode") is YamlScalarNode { Value: var pm } portMode && Downgrades.Contains(pm))
                    yield return ($"portLevelMtls {((YamlScalarNode)port).Value}", portMode);
        }
    }

    internal static IReadOnlyList<PeerAuthentication> PeerAuthentications(ManifestSet set)
        => set.OfKind("PeerAuthentication").Select(PeerAuthentication.From).ToArray();

    /// <summary>STRICT holds for the namespace: its own namespace-wide policy, else the mesh-wide one.</summary>
    internal static bool StrictNamespace(string ns, IReadOnlyList<PeerAuthentication> policies, ManifestCheckOptions options)
    {
        static string? ModeOf(PeerAuthentication? p) => p?.Mode?.Value is { } m && m != "UNSET" ? m : null;
        var own = policies.FirstOrDefault(p => p.Object.Namespace == ns && p.NamespaceWide);
        var mesh = policies.FirstOrDefault(p => p.Object.Namespace == options.MeshRootNamespace && p.NamespaceWide);
        return (ModeOf(own) ?? ModeOf(mesh)) == "STRICT";
    }

    /// <summary>The workload's traffic is mutual TLS only: its namespace is STRICT and no policy selecting it relaxes that.</summary>
    internal static bool Covered(Workload w, IReadOnlyList<PeerAuthentication> policies, ManifestCheckOptions options)
        => StrictNamespace(w.Namespace, policies, options)
           && !policies.Any(p => (p.Object.Namespace == w.Namespace || p.Object.Namespace == options.MeshRootNamespace)
                                 && (p.NamespaceWide || p.Selector!.Matches(w.PodLabels))
                                 && p.DowngradingModes().Any());

    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        var policies = PeerAuthentications(set);
        foreach (var ns in set.WorkloadNamespaces.Where(ns => !StrictNamespace(ns, policies, options)))
        {
            var (file, line) = set.NamespaceLocation(ns);
            findings.Add(NamespaceStrictMtls, $"Namespace {ns} holds workloads but no namespace-wide PeerAuthentication with mtls.mode STRICT covers it.", file, line);
        }

        var meshNamespaces = set.WorkloadNamespaces.Append(options.MeshRootNamespace).ToHashSet(StringComparer.Ordinal);
        foreach (var policy in policies.Where(p => p.Object.Namespace is { } ns && meshNamespaces.Contains(ns)))
            foreach (var (where, mode) in policy.DowngradingModes())
                findings.Add(NoMtlsDowngrade, $"PeerAuthentication {policy.Object.Name}: {where} is {mode.Value}, which accepts plain-text traffic.", policy.Object, mode.Line());

        foreach (var rule in set.OfKind("DestinationRule"))
            foreach (var (where, mode) in DestinationRuleModes(rule))
                if (mode.Value == "DISABLE")
                    findings.Add(NoMtlsDowngrade, $"DestinationRule {rule.Name}: {where} tls.mode is DISABLE, so its clients send plain text.", rule, mode.Line());
    }

    private static IEnumerable<(string Where, YamlScalarNode Mode)> DestinationRuleModes(ManifestObject rule)
    {
        IEnumerable<(string, YamlScalarNode)> OfPolicy(string where, YamlMappingNode? policy)
        {
            if (policy.GetMap("tls").Get("mode") is YamlScalarNode mode) yield return (where, mode);
            foreach (var port in policy.GetSeq("portLevelSettings").Maps())
                if (port.GetMap("tls").Get("mode") is YamlScalarNode portMode)
                    yield return ($"{where} port {port.GetMap("port").GetString("number")}", portMode);
        }

        foreach (var item in OfPolicy("trafficPolicy", rule.Spec.GetMap("trafficPolicy"))) yield return item;
        foreach (var subset in rule.Spec.GetSeq("subsets").Maps())
            foreach (var item in OfPolicy($"subset {subset.GetString("name")}", subset.GetMap("trafficPolicy"))) yield return item;
    }
}
