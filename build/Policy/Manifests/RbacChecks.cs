using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Plan 1.5: namespace-scoped rights for the backend, no wildcards, resourceNames that work.</summary>
internal static class RbacChecks
{
    private static readonly string[] DeadWithNames = ["create", "deletecollection"];
    private static readonly string[] NeedFieldSelector = ["list", "watch"];

    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        CheckBackendBindings(set, options, findings);
        foreach (var role in set.OfKind("Role").Concat(set.OfKind("ClusterRole")))
            CheckRules(role, findings);
    }

    private static void CheckBackendBindings(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        var backend = set.Workloads.FirstOrDefault(w => w.Object.Is("Deployment") && w.Object.Name == options.BackendDeployment);
        if (backend is null) return;
        var account = backend.PodSpec.GetString("serviceAccountName") ?? backend.PodSpec.GetString("serviceAccount") ?? "default";

        bool NamesBackend(ManifestObject binding) => binding.Root.GetSeq("subjects").Maps().Any(s =>
            s.GetString("kind") == "ServiceAccount" && s.GetString("name") == account
            && (s.GetString("namespace") ?? binding.Namespace) == backend.Namespace);

        foreach (var binding in set.OfKind("ClusterRoleBinding").Where(NamesBackend))
            findings.Add(NoClusterRbacForBackend,
                $"ClusterRoleBinding {binding.Name} gives the backend's service account {backend.Namespace}/{account} cluster-wide rights.",
                binding, binding.Root.KeyLine("kind"));

        foreach (var binding in set.OfKind("RoleBinding").Where(NamesBackend))
            if (binding.Root.GetMap("roleRef") is { } roleRef && roleRef.GetString("kind") == "ClusterRole")
                findings.Add(NoClusterRbacForBackend,
                    $"RoleBinding {binding.Name} binds the backend's service account to ClusterRole {roleRef.GetString("name")}; use a Role in {backend.Namespace}.",
                    binding, roleRef.KeyLine("kind"));
    }

    private static void CheckRules(ManifestObject role, FindingList findings)
    {
        foreach (var rule in role.Root.GetSeq("rules").Maps())
        {
            foreach (var (field, wildcard) in new (string, Func<string, bool>)[]
                     {
                         ("verbs", v => v == "*"), ("apiGroups", v => v == "*"), ("resources", v => v.Contains('*')),
                     })
                foreach (var item in rule.GetSeq(field).Scalars().Where(s => wildcard(s.Value!)))
                    findings.Add(NoRbacWildcards, $"{role.Describe()}: '{item.Value}' in {field} grants more than the workload needs.", role, item.Line());

            var names = rule.GetSeq("resourceNames").Scalars().ToArray();
            if (names.Length == 0) continue;
            foreach (var name in names.Where(n => n.Value!.Contains('*')))
                findings.Add(ResourceNamesNoWildcard,
                    $"{role.Describe()}: resourceNames entry '{name.Value}' is compared literally, so it matches no object.", role, name.Line());
            foreach (var verb in rule.GetSeq("verbs").Scalars())
            {
                if (DeadWithNames.Contains(verb.Value))
                    findings.Add(ResourceNamesDeadVerb,
                        $"{role.Describe()}: '{verb.Value}' with resourceNames never matches (the request carries no name).", role, verb.Line());
                else if (NeedFieldSelector.Contains(verb.Value))
                    findings.Add(ResourceNamesListWatch,
                        $"{role.Describe()}: '{verb.Value}' with resourceNames matches only requests with fieldSelector metadata.name.", role, verb.Line());
            }
        }
    }
}
