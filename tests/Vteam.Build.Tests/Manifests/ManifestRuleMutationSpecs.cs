using Vteam.Build.Engine;
using Vteam.Build.Policy.Manifests;
using Xunit;
using static Vteam.Build.Tests.Manifests.ManifestMutation;

namespace Vteam.Build.Tests.Manifests;

/// <summary>
/// For every rule: break it alone in a copy of a shipped manifest (images pinned as a release pins
/// them, so the copy starts clean) and see exactly that rule fire, at the line the table marks with ».
/// </summary>
public class ManifestRuleMutationSpecs
{
    private const string Backend = "base/backend-api.yaml";
    private const string Frontend = "base/frontend.yaml";
    private const string Operator = "base/agentic-operator.yaml";
    private const string Runner = "base/runner.yaml";
    private const string Network = "base/network-policies.yaml";
    private const string Quota = "base/quota.yaml";
    private const string Namespace = "base/namespace.yaml";
    private const string ExternalSecrets = "components/external-secrets/external-secrets.yaml";
    private const string Rotation = "components/external-secrets/rotation.yaml";
    private const string PeerAuthentication = "components/mtls/peer-authentication.yaml";
    private const string DestinationRules = "components/mtls/destination-rules.yaml";

    private static readonly ManifestMutation[] Mutations =
    [
        Replace("VT1101", "container sets runAsNonRoot false", Backend,
            "\n            runAsNonRoot: true", "\n            runAsNonRoot: false", "\n            »runAsNonRoot: false"),
        ReplaceEach("VT1101", "neither pod nor container sets runAsNonRoot", Operator,
            [("        runAsNonRoot: true\n        runAsUser: 1001", "        runAsUser: 1001"), ("\n            runAsNonRoot: true", "")],
            "\n      »securityContext:\n        runAsUser"),
        Replace("VT1102", "pod runs as user 0", Frontend, "runAsUser: 1001", "runAsUser: 0", "»runAsUser: 0"),
        Replace("VT1103", "pod seccomp Unconfined", Operator, "type: RuntimeDefault", "type: Unconfined", "»type: Unconfined"),
        Replace("VT1104", "container allows privilege escalation", Frontend,
            "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "»allowPrivilegeEscalation: true"),
        Replace("VT1105", "container drops NET_RAW only", Backend, "drop: [ALL]", "drop: [NET_RAW]", "»drop: [NET_RAW]"),
        Replace("VT1106", "container adds NET_ADMIN", Backend,
            "              drop: [ALL]", "              drop: [ALL]\n              add: [NET_ADMIN]", "»add: [NET_ADMIN]"),
        Replace("VT1107", "privileged container", Runner,
            "          readOnlyRootFilesystem: true", "          readOnlyRootFilesystem: true\n          privileged: true", "»privileged: true"),
        Replace("VT1107", "privileged written as YAML 1.1 yes", Frontend,
            "\n            readOnlyRootFilesystem: true", "\n            readOnlyRootFilesystem: true\n            privileged: yes", "»privileged: yes"),
        Replace("VT1108", "hostNetwork", Frontend,
            "      automountServiceAccountToken: false", "      automountServiceAccountToken: false\n      hostNetwork: true", "»hostNetwork: true"),
        Replace("VT1108", "hostPID", Operator,
            "      serviceAccountName: agentic-operator", "      serviceAccountName: agentic-operator\n      hostPID: true", "»hostPID: true"),
        Replace("VT1109", "hostPath volume", Frontend,
            "          emptyDir:\n            sizeLimit: 64Mi", "          hostPath:\n            path: /tmp", "»hostPath:"),
        Replace("VT1110", "writable root filesystem", Runner,
            "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "»readOnlyRootFilesystem: false"),
        Replace("VT1111", "image by tag", Backend,
            $"vteam_backend@{ShippedManifests.TestDigest}", "vteam_backend:1.0.0", "»image: quay.io/ambient_code/vteam_backend:1.0.0"),
        RemoveDocument("VT1201", "no default deny", Network, "name: default-deny-all",
            Operator, "kind: Deployment\nmetadata:\n  »name: agentic-operator"),
        Replace("VT1202", "egress to 0.0.0.0/0", Network, "cidr: 10.0.0.0/8", "cidr: 0.0.0.0/0", "»cidr: 0.0.0.0/0"),
        Replace("VT1202", "runner egress to any address on port 80", Network,
            "    - ports:\n        - protocol: TCP\n          port: 443",
            "    - ports:\n        - protocol: TCP\n          port: 443\n        - protocol: TCP\n          port: 80",
            "    - »ports:\n        - protocol: TCP\n          port: 443\n        - protocol: TCP\n          port: 80"),
        Replace("VT1501", "backend bound to a ClusterRole", Backend,
            "  kind: Role\n  name: backend-api", "  kind: ClusterRole\n  name: backend-api", "  »kind: ClusterRole"),
        Replace("VT1501", "backend in a ClusterRoleBinding", Backend,
            "kind: RoleBinding", "kind: ClusterRoleBinding", "»kind: ClusterRoleBinding"),
        Replace("VT1502", "wildcard verb", Backend,
            "resources: [pods/log]\n    verbs: [get]", "resources: [pods/log]\n    verbs: ['*']", "    »verbs: ['*']"),
        Replace("VT1502", "wildcard apiGroup", Operator,
            "  - apiGroups: [batch]", "  - apiGroups: ['*']", "  - »apiGroups: ['*']"),
        Replace("VT1503", "resourceNames with a wildcard", Operator,
            "resourceNames: [ambient-code-runner]", "resourceNames: [runner-*]", "»resourceNames: [runner-*]"),
        Replace("VT1504", "create with resourceNames", Operator,
            "resourceNames: [ambient-code-runner]\n    verbs: [get]", "resourceNames: [ambient-code-runner]\n    verbs: [get, create]", "    »verbs: [get, create]"),
        Replace("VT1505", "watch with resourceNames", Operator,
            "resourceNames: [ambient-code-runner]\n    verbs: [get]", "resourceNames: [ambient-code-runner]\n    verbs: [get, watch]", "    »verbs: [get, watch]"),
        Replace("VT2301", "container without limits", Backend,
            "            limits:\n              cpu: 500m\n              memory: 512Mi\n", "", "\n          »resources:\n"),
        RemoveDocument("VT2302", "no ResourceQuota", Quota, "kind: ResourceQuota", Namespace, "  »name: ambient-code"),
        RemoveDocument("VT2303", "no LimitRange", Quota, "kind: LimitRange", Namespace, "  »name: ambient-code"),
        RemoveDocument("VT2304", "Deployment without PodDisruptionBudget", Frontend, "kind: PodDisruptionBudget",
            Frontend, "kind: Deployment\nmetadata:\n  »name: frontend"),
        Append("VT2101", "committed Secret", Backend,
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n  namespace: ambient-code\ndata:\n  api-key: c2stYW50LWxlYWtlZA==\n",
            "\n»data:\n  api-key"),
        Replace("VT2102", "ExternalSecret refreshing weekly", ExternalSecrets,
            "refreshInterval: 1h\n", "refreshInterval: 168h\n", "»refreshInterval: 168h"),
        Replace("VT2102", "ExternalSecret without refreshInterval", ExternalSecrets,
            "  refreshInterval: 12h\n", "", "  name: github-app-key\n  namespace: ambient-code\n»spec:"),
        Replace("VT2103", "rotation every other month", Rotation,
            "schedule: \"17 3 * * 1\"", "schedule: \"0 4 1 */2 *\"", "»schedule: \"0 4 1 */2 *\""),
        Replace("VT2103", "rotation suspended", Rotation,
            "  concurrencyPolicy: Forbid", "  concurrencyPolicy: Forbid\n  suspend: true", "»suspend: true"),
        Replace("VT2201", "namespace policy narrowed to one workload", PeerAuthentication,
            "spec:\n  mtls:", "spec:\n  selector:\n    matchLabels:\n      app: backend-api\n  mtls:", "  »name: ambient-code", Namespace),
        Replace("VT2202", "PERMISSIVE port-level override", PeerAuthentication,
            "    mode: STRICT", "    mode: STRICT\n  portLevelMtls:\n    8080:\n      mode: PERMISSIVE", "      »mode: PERMISSIVE"),
        Replace("VT2202", "DestinationRule disables TLS", DestinationRules,
            "host: frontend.ambient-code.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL",
            "host: frontend.ambient-code.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: DISABLE", "»mode: DISABLE"),
        Replace("VT3201", "pod without a profile", Frontend,
            "        appArmorProfile:\n          type: Localhost\n          localhostProfile: vteam-frontend\n", "",
            "\n      »securityContext:\n        runAsNonRoot: true"),
        Replace("VT3201", "profile that is not shipped", Runner,
            "localhostProfile: vteam-runner", "localhostProfile: vteam-runner-v2", "»localhostProfile: vteam-runner-v2"),
    ];

    public static IEnumerable<object[]> MutationNames => Mutations.Select(m => new object[] { m.Name });

    [Fact]
    public void The_shipped_manifests_with_pinned_images_have_no_finding_at_all()
    {
        var report = ShippedManifests.Copy().PinImages().Check();

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Every_rule_of_the_catalogue_is_broken_by_at_least_one_mutation()
    {
        var broken = Mutations.Select(m => m.RuleId).ToHashSet();

        var unbroken = ManifestRules.All.Select(r => r.Id).Where(id => !broken.Contains(id)).ToArray();

        Assert.True(unbroken.Length == 0, $"No mutation breaks {string.Join(", ", unbroken)}.");
    }

    [Theory]
    [MemberData(nameof(MutationNames))]
    public void Breaking_one_rule_fires_exactly_that_rule_at_the_marked_line(string name)
    {
        var mutation = Mutations.Single(m => m.Name == name);
        var copy = ShippedManifests.Copy().PinImages();
        copy.Write(mutation.File, mutation.Change(copy.Read(mutation.File)));
        var expectedLine = LineOf(copy.Read(mutation.ExpectedFile), mutation.ExpectedAnchor, mutation.ExpectedFile);

        var findings = copy.Check().Findings;

        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.True(f.RuleId == mutation.RuleId, $"Only {mutation.RuleId} should fire, but: {f}"));
        Assert.Contains(findings, f => f.File == ShippedManifests.Display(mutation.ExpectedFile) && f.Line == expectedLine);
    }

    [Fact]
    public void An_unpinned_image_is_a_warning_and_with_release_an_error()
    {
        var copy = ShippedManifests.Copy();

        var everyday = copy.Check(new ManifestCheckOptions());
        var release = copy.Check(new ManifestCheckOptions { Release = true });

        Assert.All(everyday.Findings, f => Assert.Equal(("VT1111", DiagnosticSeverity.Warning), (f.RuleId, f.Severity)));
        Assert.All(release.Findings, f => Assert.Equal(("VT1111", DiagnosticSeverity.Error), (f.RuleId, f.Severity)));
        Assert.Equal(everyday.Findings.Count, release.Findings.Count);
        Assert.True(everyday.Passed);
        Assert.False(release.Passed);
    }
}
