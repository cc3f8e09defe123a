using Vteam.Build.Policy.Manifests;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

/// <summary>How the rules read Kubernetes semantics, on small sets of objects written here.</summary>
public class ManifestRuleSemanticsSpecs
{
    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          namespace: ns
          labels: {app: p}
        spec:
          securityContext:
            runAsNonRoot: false
            seccompProfile: {type: RuntimeDefault}
            seLinuxOptions: {type: vteam_ns.process}
          containers:
            - name: c
              image: r/i@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
              securityContext:
                runAsNonRoot: true
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: {drop: [ALL]}
              resources:
                requests: {cpu: 10m, memory: 10Mi}
                limits: {cpu: 10m, memory: 10Mi}
        """;

    private static IReadOnlyList<string> Fired(params string[] documents)
    {
        var set = new ManifestSet(ManifestReader.Read("x.yaml", string.Join("\n---\n", documents)));
        return ManifestChecker.Check(set).Findings.Select(f => f.RuleId).Distinct().Order().ToArray();
    }

    [Fact]
    public void A_container_setting_overrides_the_pod_setting()
    {
        Assert.DoesNotContain("VT1101", Fired(Pod));
    }

    [Fact]
    public void A_shipped_SELinux_profile_satisfies_the_runtime_profile_rule_and_an_unknown_type_does_not()
    {
        const string profile = "apiVersion: security-profiles-operator.x-k8s.io/v1alpha2\nkind: SelinuxProfile\nmetadata:\n  name: vteam\n  namespace: ns\n";

        Assert.DoesNotContain("VT3201", Fired(Pod, profile));
        Assert.Contains("VT3201", Fired(Pod));
    }

    [Fact]
    public void A_mesh_wide_STRICT_policy_covers_a_namespace_and_its_own_UNSET_policy_inherits_it()
    {
        const string mesh = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls: {mode: STRICT}\n";
        const string unset = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: ns\nspec:\n  mtls: {mode: UNSET}\n";
        const string permissive = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: ns\nspec:\n  mtls: {mode: PERMISSIVE}\n";

        Assert.DoesNotContain("VT2201", Fired(Pod, mesh));
        Assert.DoesNotContain("VT2201", Fired(Pod, mesh, unset));
        Assert.Contains("VT2201", Fired(Pod, mesh, permissive));
        Assert.Contains("VT2201", Fired(Pod));
    }

    [Fact]
    public void A_NetworkPolicy_without_policyTypes_covers_Egress_only_when_it_has_egress_rules()
    {
        const string ingressOnly = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\n  namespace: ns\nspec:\n  podSelector: {}\n";
        const string both = ingressOnly + "  egress:\n    - to:\n        - podSelector: {matchLabels: {app: q}}\n";

        Assert.Contains("VT1201", Fired(Pod, ingressOnly));
        Assert.DoesNotContain("VT1201", Fired(Pod, both));
    }

    [Fact]
    public void Egress_to_any_address_is_allowed_to_the_runner_on_443_only()
    {
        const string policy = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: runner
              namespace: ns
            spec:
              podSelector: {matchLabels: {app: ambient-code-runner}}
              policyTypes: [Egress]
              egress:
                - ports: [{protocol: TCP, port: 443}]
            """;

        Assert.DoesNotContain("VT1202", Fired(policy));
        Assert.Contains("VT1202", Fired(policy.Replace("port: 443}", "port: 443, endPort: 8443}")));
        Assert.Contains("VT1202", Fired(policy.Replace("protocol: TCP", "protocol: UDP")));
        Assert.Contains("VT1202", Fired(policy.Replace("app: ambient-code-runner", "app: backend-api")));
    }

    [Fact]
    public void A_PodDisruptionBudget_without_selector_protects_nothing_and_an_expression_selector_counts()
    {
        const string deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              namespace: ns
            spec:
              template:
                metadata:
                  labels: {app: d, tier: web}
                spec:
                  containers: [{name: c, image: i}]
            """;
        const string noSelector = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: d\n  namespace: ns\nspec:\n  minAvailable: 1\n";
        const string expression = noSelector + "  selector:\n    matchExpressions:\n      - {key: tier, operator: In, values: [web]}\n";

        Assert.Contains("VT2304", Fired(deployment, noSelector));
        Assert.DoesNotContain("VT2304", Fired(deployment, expression));
    }

    [Fact]
    public void A_ClusterRoleBinding_for_another_account_is_not_the_backend_s()
    {
        const string backend = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: backend-api, namespace: ns}
            spec:
              template:
                metadata: {labels: {app: backend-api}}
                spec:
                  serviceAccountName: backend-api
                  containers: [{name: c, image: i}]
            """;
        const string binding = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: b}
            subjects: [{kind: ServiceAccount, name: NAME, namespace: ns}]
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            """;

        Assert.DoesNotContain("VT1501", Fired(backend, binding.Replace("NAME", "monitoring")));
        Assert.Contains("VT1501", Fired(backend, binding.Replace("NAME", "backend-api")));
    }

    [Fact]
    public void A_committed_Secret_without_values_is_no_finding()
    {
        const string secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ns\ntype: Opaque\n";

        Assert.DoesNotContain("VT2101", Fired(secret));
        Assert.Contains("VT2101", Fired(secret + "stringData:\n  k: v\n"));
    }
}
