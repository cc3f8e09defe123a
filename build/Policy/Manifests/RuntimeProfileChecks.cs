using YamlDotNet.RepresentationModel;
using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>
/// Plan 3.2: every container runs under an AppArmor profile (or SELinux type) that the manifests ship
/// (Security Profiles Operator objects), named in the pod's or the container's securityContext.
/// </summary>
internal static class RuntimeProfileChecks
{
    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        var appArmor = set.OfKind("AppArmorProfile").Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // SPO loads a SelinuxProfile as the type <name>_<namespace>.process.
        var seLinux = set.OfKind("SelinuxProfile").Concat(set.OfKind("RawSelinuxProfile"))
            .Select(p => $"{p.Name}_{p.Namespace}.process").ToHashSet(StringComparer.Ordinal);

        foreach (var w in set.Workloads)
        {
            var unprofiled = new List<string>();
            foreach (var c in w.Containers)
            {
                var profile = c.SecurityContext.GetMap("appArmorProfile") ?? w.PodSecurityContext.GetMap("appArmorProfile");
                var seLinuxType = (c.SecurityContext.GetMap("seLinuxOptions") ?? w.PodSecurityContext.GetMap("seLinuxOptions")).Get("type") as YamlScalarNode;
                if (profile is null && seLinuxType is null)
                {
                    unprofiled.Add(c.Name);
                    continue;
                }
                if (seLinuxType is { Value: { } type } && seLinux.Contains(type)) continue;
                if (profile is not null)
                {
                    var kind = profile.Get("type") as YamlScalarNode;
                    var name = profile.Get("localhostProfile") as YamlScalarNode;
                    if (kind?.Value == "Localhost" && name?.Value is { } n && appArmor.Contains(n)) continue;
                    findings.Add(RuntimeProfile, kind?.Value != "Localhost"
                            ? $"{w.Describe()}: container {c.Name} runs under AppArmor {kind?.Value ?? "(no type)"}, not a shipped Localhost profile."
                            : $"{w.Describe()}: container {c.Name} names AppArmor profile '{name?.Value}', which the manifests do not ship (shipped: {Shipped(appArmor)}).",
                        w.Object, (kind?.Value == "Localhost" ? name : kind)?.Line() ?? profile.Line());
                    continue;
                }
                findings.Add(RuntimeProfile,
                    $"{w.Describe()}: container {c.Name} names SELinux type '{seLinuxType!.Value}', which the manifests do not ship (shipped: {Shipped(seLinux)}).",
                    w.Object, seLinuxType.Line());
            }
            if (unprofiled.Count > 0)
                findings.Add(RuntimeProfile,
                    $"{w.Describe()}: container(s) {string.Join(", ", unprofiled)} name no AppArmor profile or SELinux type, on the pod or the container.",
                    w.Object, PodSecurityChecks.PodLine(w));
        }
    }

    private static string Shipped(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Order(StringComparer.Ordinal));
}
