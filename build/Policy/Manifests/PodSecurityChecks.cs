using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Vteam.Build.Policy.Manifests.ManifestRules;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Plan 1.1 (pod and container securityContext) and 2.3's container resources.</summary>
internal static partial class PodSecurityChecks
{
    [GeneratedRegex("@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestReference();

    public static void Check(ManifestSet set, ManifestCheckOptions options, FindingList findings)
    {
        foreach (var workload in set.Workloads) CheckWorkload(workload, options, findings);
    }

    /// <summary>Where a pod-level finding points: the pod's securityContext, else the pod spec.</summary>
    internal static int PodLine(Workload w) => w.PodSpec.GetKey("securityContext")?.Line() ?? w.PodSpec.Line();

    /// <summary>A container setting, else the pod's (Kubernetes' precedence for the shared fields).</summary>
    internal static YamlScalarNode? Effective(Workload w, Container c, string key)
        => (c.SecurityContext.Get(key) ?? w.PodSecurityContext.Get(key)) as YamlScalarNode;

    /// <summary>runAsNonRoot true and no runAsUser 0, for every container.</summary>
    internal static bool RunsAsNonRoot(Workload w)
        => w.Containers.Any() && w.Containers.All(c => Effective(w, c, "runAsNonRoot")?.AsBool() == true && Effective(w, c, "runAsUser")?.AsLong() != 0);

    private static int ContainerLine(Container c, string key)
        => c.SecurityContext?.GetKey(key)?.Line() ?? c.Node.GetKey("securityContext")?.Line() ?? c.Line;

    private static void CheckWorkload(Workload w, ManifestCheckOptions options, FindingList findings)
    {
        var o = w.Object;
        var what = w.Describe();
        var missingNonRoot = new List<string>();
        var missingSeccomp = new List<string>();

        foreach (var c in w.Containers)
        {
            var nonRoot = Effective(w, c, "runAsNonRoot");
            if (nonRoot is null) missingNonRoot.Add(c.Name);
            else if (nonRoot.AsBool() != true)
                findings.Add(RunAsNonRoot, $"{what}: container {c.Name} has runAsNonRoot: {nonRoot.Value}.", o, nonRoot.Line());

            if (Effective(w, c, "runAsUser") is { } user && user.AsLong() == 0)
                findings.Add(RunAsUserNotRoot, $"{what}: container {c.Name} runs as user 0 (root).", o, user.Line());

            var seccomp = c.SecurityContext.GetMap("seccompProfile") ?? w.PodSecurityContext.GetMap("seccompProfile");
            var seccompType = seccomp.Get("type") as YamlScalarNode;
            if (seccompType is null) missingSeccomp.Add(c.Name);
            else if (seccompType.Value != "RuntimeDefault")
                findings.Add(SeccompRuntimeDefault, $"{what}: container {c.Name} uses seccomp profile {seccompType.Value}, not RuntimeDefault.", o, seccompType.Line());

            var escalation = c.SecurityContext.GetBool("allowPrivilegeEscalation");
            if (escalation != false)
                findings.Add(NoPrivilegeEscalation, escalation is null
                    ? $"{what}: container {c.Name} does not set allowPrivilegeEscalation: false."
                    : $"{what}: container {c.Name} allows privilege escalation.", o, ContainerLine(c, "allowPrivilegeEscalation"));

            var capabilities = c.SecurityContext.GetMap("capabilities");
            if (!capabilities.GetSeq("drop").Scalars().Any(s => string.Equals(s.Value, "ALL", StringComparison.OrdinalIgnoreCase)))
                findings.Add(DropAllCapabilities, $"{what}: container {c.Name} does not drop ALL capabilities.", o,
                    capabilities?.GetKey("drop")?.Line() ?? ContainerLine(c, "capabilities"));
            if (capabilities.GetSeq("add").Scalars().ToArray() is { Length: > 0 } added)
                findings.Add(NoAddedCapabilities, $"{what}: container {c.Name} adds capabilities {string.Join(", ", added.Select(a => a.Value))}.", o, capabilities!.KeyLine("add"));

            if (c.SecurityContext.GetBool("privileged") == true)
                findings.Add(NotPrivileged, $"{what}: container {c.Name} is privileged.", o, c.SecurityContext!.KeyLine("privileged"));

            if (c.SecurityContext.GetBool("readOnlyRootFilesystem") != true)
                findings.Add(ReadOnlyRootFilesystem, $"{what}: container {c.Name} can write to its root filesystem.", o, ContainerLine(c, "readOnlyRootFilesystem"));

            if (c.Node.Get("image") is YamlScalarNode { Value: { } image } imageNode && !DigestReference().IsMatch(image))
                findings.Add(ImagePinnedByDigest, $"{what}: container {c.Name} uses image {image}, not pinned by digest.", o, imageNode.Line(),
                    options.Release ? Engine.DiagnosticSeverity.Error : null);

            CheckResources(w, c, findings);
        }

        if (missingNonRoot.Count > 0)
            findings.Add(RunAsNonRoot, $"{what}: runAsNonRoot is set neither on the pod nor on container(s) {string.Join(", ", missingNonRoot)}.", o, PodLine(w));
        if (missingSeccomp.Count > 0)
            findings.Add(SeccompRuntimeDefault, $"{what}: no seccompProfile on the pod nor on container(s) {string.Join(", ", missingSeccomp)}.", o, PodLine(w));

        foreach (var key in new[] { "hostNetwork", "hostPID", "hostIPC" })
            if (w.PodSpec.GetBool(key) == true)
                findings.Add(NoHostNamespaces, $"{what}: the pod sets {key}: true.", o, w.PodSpec.KeyLine(key));

        foreach (var volume in w.PodSpec.GetSeq("volumes").Maps())
            if (volume.GetKey("hostPath") is { } hostPath)
                findings.Add(NoHostPath, $"{what}: volume {volume.GetString("name")} mounts a hostPath.", o, hostPath.Line());
    }

    private static void CheckResources(Workload w, Container c, FindingList findings)
    {
        var resources = c.Node.GetMap("resources");
        var missing = new[] { "requests", "limits" }
            .SelectMany(kind => new[] { "cpu", "memory" }.Where(r => resources.GetMap(kind).GetString(r) is null).Select(r => $"{kind}.{r}"))
            .ToArray();
        if (missing.Length > 0)
            findings.Add(ContainerResources, $"{w.Describe()}: container {c.Name} has no {string.Join(", ", missing)}.", w.Object,
                c.Node.GetKey("resources")?.Line() ?? c.Line);
    }
}
