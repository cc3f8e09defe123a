using Vteam.Build.Engine;
using static Vteam.Build.Engine.DiagnosticSeverity;

namespace Vteam.Build.Policy.Manifests;

/// <summary>
/// The catalogue. Ids are stable (reports and ignores refer to them): VT, the plan section's digits,
/// and a number. Add new rules at the end of their section; never reuse an id.
/// </summary>
public static class ManifestRules
{
    // Phase 1.1: pod SecurityContext
    public static readonly ManifestRule RunAsNonRoot = new("VT1101", "run-as-non-root", "1.1", Error,
        "Containers run with runAsNonRoot: true",
        "Set securityContext.runAsNonRoot: true on the pod (or on every container).");
    public static readonly ManifestRule RunAsUserNotRoot = new("VT1102", "run-as-user-not-root", "1.1", Error,
        "No container runs as user 0",
        "Set runAsUser to a non-zero id (the images use 1001).");
    public static readonly ManifestRule SeccompRuntimeDefault = new("VT1103", "seccomp-runtime-default", "1.1", Error,
        "Pods use the RuntimeDefault seccomp profile",
        "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.");
    public static readonly ManifestRule NoPrivilegeEscalation = new("VT1104", "no-privilege-escalation", "1.1", Error,
        "Containers set allowPrivilegeEscalation: false",
        "Set securityContext.allowPrivilegeEscalation: false on every container.");
    public static readonly ManifestRule DropAllCapabilities = new("VT1105", "drop-all-capabilities", "1.1", Error,
        "Containers drop ALL capabilities",
        "Set securityContext.capabilities.drop: [ALL] on every container.");
    public static readonly ManifestRule NoAddedCapabilities = new("VT1106", "no-added-capabilities", "1.1", Error,
        "Containers add no capabilities",
        "Remove securityContext.capabilities.add; the platform's processes need none.");
    public static readonly ManifestRule NotPrivileged = new("VT1107", "not-privileged", "1.1", Error,
        "No privileged containers",
        "Remove securityContext.privileged: true.");
    public static readonly ManifestRule NoHostNamespaces = new("VT1108", "no-host-namespaces", "1.1", Error,
        "Pods share no host namespace (hostNetwork, hostPID, hostIPC)",
        "Remove hostNetwork/hostPID/hostIPC from the pod spec.");
    public static readonly ManifestRule NoHostPath = new("VT1109", "no-host-path", "1.1", Error,
        "Pods mount no hostPath volume",
        "Use an emptyDir, a ConfigMap or a PersistentVolumeClaim instead of hostPath.");
    public static readonly ManifestRule ReadOnlyRootFilesystem = new("VT1110", "read-only-root-filesystem", "1.1", Warning,
        "Containers have a read-only root filesystem",
        "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes.");
    public static readonly ManifestRule ImagePinnedByDigest = new("VT1111", "image-pinned-by-digest", "1.1", Warning,
        "Images are referenced by digest (an error with --release)",
        "Reference the image as repository@sha256:…; a release sets the digests the build pushed.");

    // Phase 1.2: NetworkPolicies
    public static readonly ManifestRule NetworkPolicyCoverage = new("VT1201", "network-policy-coverage", "1.2", Error,
        "Every workload's pods are selected by NetworkPolicies covering Ingress and Egress",
        "Keep the namespace's default-deny policy (podSelector: {}, policyTypes [Ingress, Egress]).");
    public static readonly ManifestRule NoOpenEgress = new("VT1202", "no-open-egress", "1.2", Error,
        "No egress to everywhere, except the runner's port 443",
        "Name the destination (podSelector, namespaceSelector or a narrow ipBlock); only app: ambient-code-runner may reach any address, on TCP 443 only.");

    // Phase 1.5: RBAC
    public static readonly ManifestRule NoClusterRbacForBackend = new("VT1501", "no-cluster-rbac-for-backend", "1.5", Error,
        "The backend's service account has no cluster-wide role",
        "Bind the backend's service account to a Role in its namespace with a RoleBinding.");
    public static readonly ManifestRule NoRbacWildcards = new("VT1502", "no-rbac-wildcards", "1.5", Error,
        "Roles use no * in verbs, resources or apiGroups",
        "List the verbs, resources and API groups the workload needs.");
    public static readonly ManifestRule ResourceNamesNoWildcard = new("VT1503", "resource-names-no-wildcard", "1.5", Error,
        "resourceNames hold exact names (a * in them grants nothing)",
        "Kubernetes compares resourceNames literally: list the exact names, or use a label and a separate namespace.");
    public static readonly ManifestRule ResourceNamesDeadVerb = new("VT1504", "resource-names-dead-verb", "1.5", Error,
        "No create or deletecollection restricted by resourceNames",
        "create and deletecollection requests carry no object name, so such a rule never matches: move these verbs to a rule without resourceNames.");
    public static readonly ManifestRule ResourceNamesListWatch = new("VT1505", "resource-names-list-watch", "1.5", Warning,
        "list and watch restricted by resourceNames need a field selector",
        "A list or watch matches a resourceNames rule only when the client asks with fieldSelector metadata.name=<name>; make sure the client does, or drop the names.");

    // Phase 2.3: quotas, limits, disruption budgets
    public static readonly ManifestRule ContainerResources = new("VT2301", "container-resources", "2.3", Error,
        "Containers request and limit CPU and memory",
        "Set resources.requests and resources.limits for cpu and memory.");
    public static readonly ManifestRule NamespaceResourceQuota = new("VT2302", "namespace-resource-quota", "2.3", Error,
        "Every namespace with workloads has a ResourceQuota",
        "Add a ResourceQuota to the namespace.");
    public static readonly ManifestRule NamespaceLimitRange = new("VT2303", "namespace-limit-range", "2.3", Error,
        "Every namespace with workloads has a LimitRange",
        "Add a LimitRange with container defaults to the namespace.");
    public static readonly ManifestRule DeploymentDisruptionBudget = new("VT2304", "deployment-disruption-budget", "2.3", Error,
        "Every Deployment has a PodDisruptionBudget",
        "Add a PodDisruptionBudget whose selector matches the Deployment's pod labels.");

    // Phase 2.1: secrets
    public static readonly ManifestRule NoCommittedSecret = new("VT2101", "no-committed-secret", "2.1", Error,
        "No Secret with data or stringData is committed",
        "Remove the Secret and its values from the repository (and rotate them: they are in git history); deliver it with an ExternalSecret.");
    public static readonly ManifestRule ExternalSecretRefresh = new("VT2102", "external-secret-refresh", "2.1", Error,
        "Every ExternalSecret refreshes within the maximum interval",
        "Set spec.refreshInterval to a duration no longer than the maximum (default 24h).");
    public static readonly ManifestRule RotationCronJob = new("VT2103", "secret-rotation-cronjob", "2.1", Error,
        "A secret rotation CronJob exists and runs at least monthly",
        "Ship a CronJob labelled app.kubernetes.io/component: secret-rotation, not suspended, whose schedule fires at least once a month.");

    // Phase 2.2: mutual TLS
    public static readonly ManifestRule NamespaceStrictMtls = new("VT2201", "namespace-strict-mtls", "2.2", Error,
        "Every namespace with workloads is under a STRICT PeerAuthentication",
        "Add a PeerAuthentication without selector and with mtls.mode: STRICT to the namespace (or mesh-wide in istio-system).");
    public static readonly ManifestRule NoMtlsDowngrade = new("VT2202", "no-mtls-downgrade", "2.2", Error,
        "No PeerAuthentication or DestinationRule turns mutual TLS off",
        "Remove PERMISSIVE/DISABLE modes (portLevelMtls included) and DestinationRule tls.mode DISABLE.");

    // Phase 3.2: runtime security
    public static readonly ManifestRule RuntimeProfile = new("VT3201", "runtime-profile", "3.2", Error,
        "Every workload's pods name a shipped AppArmor (or SELinux) profile",
        "Set securityContext.appArmorProfile {type: Localhost, localhostProfile: <name>} (or seLinuxOptions.type) to a profile shipped in components/runtime-profiles.");

    public static IReadOnlyList<ManifestRule> All { get; } =
    [
        RunAsNonRoot, RunAsUserNotRoot, SeccompRuntimeDefault, NoPrivilegeEscalation, DropAllCapabilities, NoAddedCapabilities,
        NotPrivileged, NoHostNamespaces, NoHostPath, ReadOnlyRootFilesystem, ImagePinnedByDigest,
        NetworkPolicyCoverage, NoOpenEgress,
        NoClusterRbacForBackend, NoRbacWildcards, ResourceNamesNoWildcard, ResourceNamesDeadVerb, ResourceNamesListWatch,
        ContainerResources, NamespaceResourceQuota, NamespaceLimitRange, DeploymentDisruptionBudget,
        NoCommittedSecret, ExternalSecretRefresh, RotationCronJob,
        NamespaceStrictMtls, NoMtlsDowngrade,
        RuntimeProfile,
    ];

    public static ManifestRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);
}
