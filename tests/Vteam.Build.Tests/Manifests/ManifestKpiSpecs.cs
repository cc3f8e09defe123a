using System.Text.Json;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Manifests;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

public class ManifestKpiSpecs
{
    [Fact]
    public void The_shipped_manifests_score_full_marks_on_every_KPI()
    {
        var kpis = ShippedManifests.Copy().Check().Kpis;

        Assert.Equal(5, kpis.Workloads);
        Assert.Equal((100.0, 100.0, (double?)100.0, 100.0), (kpis.PodsNonRootPercent, kpis.NetworkPolicyCoveragePercent, kpis.SecretRotationCompliancePercent, kpis.MtlsCoveragePercent));
        Assert.Equal(2, kpis.ExternalSecrets);
        Assert.True(kpis.RotationJobPresent);
    }

    [Fact]
    public void A_root_pod_lowers_the_non_root_share()
    {
        var copy = ShippedManifests.Copy();
        copy.Write("base/frontend.yaml", copy.Read("base/frontend.yaml").Replace("runAsUser: 1001", "runAsUser: 0"));

        Assert.Equal(80.0, copy.Check().Kpis.PodsNonRootPercent);
    }

    [Fact]
    public void Without_the_default_deny_policy_coverage_counts_only_pods_isolated_both_ways()
    {
        var copy = ShippedManifests.Copy();
        var policies = copy.Read("base/network-policies.yaml");
        copy.Write("base/network-policies.yaml", policies[policies.IndexOf("---", StringComparison.Ordinal)..]);

        // Only the backend keeps both: ingress from the frontend policy, egress from the platform's.
        Assert.Equal(20.0, copy.Check().Kpis.NetworkPolicyCoveragePercent);
    }

    [Fact]
    public void A_weekly_refresh_halves_rotation_compliance_and_a_yearly_rotation_zeroes_it()
    {
        var copy = ShippedManifests.Copy();
        copy.Write("components/external-secrets/external-secrets.yaml",
            copy.Read("components/external-secrets/external-secrets.yaml").Replace("refreshInterval: 1h\n", "refreshInterval: 168h\n"));
        var weekly = copy.Check().Kpis.SecretRotationCompliancePercent;
        copy.Write("components/external-secrets/rotation.yaml", copy.Read("components/external-secrets/rotation.yaml").Replace("\"17 3 * * 1\"", "\"@yearly\""));
        var yearly = copy.Check().Kpis.SecretRotationCompliancePercent;

        Assert.Equal(50.0, weekly);
        Assert.Equal(0.0, yearly);
    }

    [Fact]
    public void A_port_level_PERMISSIVE_override_leaves_its_workloads_out_of_mTLS_coverage()
    {
        var copy = ShippedManifests.Copy();
        copy.Write("components/mtls/peer-authentication.yaml", copy.Read("components/mtls/peer-authentication.yaml") +
            "---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: backend\n  namespace: ambient-code\n" +
            "spec:\n  selector:\n    matchLabels:\n      app: backend-api\n  portLevelMtls:\n    8080:\n      mode: PERMISSIVE\n");

        Assert.Equal(80.0, copy.Check().Kpis.MtlsCoveragePercent);
    }

    private sealed class ManifestsOnlyBuild : NukeBuild, ICheckManifests;

    [Fact]
    public async Task The_target_records_the_KPIs_and_the_SARIF_path_in_the_run_record()
    {
        var copy = ShippedManifests.Copy();
        var environment = new RunEnvironment(new StringWriter(), _ => null, new AbsolutePath(copy.Root), Ansi: false);

        var exitCode = await BuildRunner.RunAsync(new ManifestsOnlyBuild(), ["CheckManifests"], [], environment, CancellationToken.None);

        Assert.Equal(0, exitCode);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(copy.Root, "artifacts", "images.json")));
        var record = manifest.RootElement.GetProperty("manifests");
        Assert.True(record.GetProperty("passed").GetBoolean());
        Assert.Equal(5, record.GetProperty("warnings").GetInt32());
        Assert.Equal(100, record.GetProperty("mtlsCoveragePercent").GetDouble());
        Assert.Equal("artifacts/manifests.sarif", record.GetProperty("sarifReport").GetString());
        Assert.True(File.Exists(Path.Combine(copy.Root, "artifacts", "manifests.sarif")));
    }
}
