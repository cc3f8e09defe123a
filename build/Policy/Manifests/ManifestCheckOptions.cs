namespace Vteam.Build.Policy.Manifests;

/// <summary>What a check run decides differently: release strictness and the plan's names and limits.</summary>
public sealed record ManifestCheckOptions
{
    /// <summary>A release: an image not pinned by digest is an error, not a warning.</summary>
    public bool Release { get; init; }
    public TimeSpan ExternalSecretRefreshMaximum { get; init; } = TimeSpan.FromHours(24);
    /// <summary>The Deployment whose service account must not be bound cluster-wide.</summary>
    public string BackendDeployment { get; init; } = "backend-api";
    /// <summary>The pod label value (app) of the runner, the one workload allowed egress to any address on 443.</summary>
    public string RunnerApp { get; init; } = "ambient-code-runner";
    public int RunnerEgressPort { get; init; } = 443;
    /// <summary>The label that marks the rotation CronJob.</summary>
    public string RotationComponentLabel { get; init; } = "secret-rotation";
    /// <summary>Istio's root namespace, where a PeerAuthentication applies mesh-wide.</summary>
    public string MeshRootNamespace { get; init; } = "istio-system";
}
