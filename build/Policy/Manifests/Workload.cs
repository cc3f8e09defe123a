using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Something that produces pods, seen through its pod template.</summary>
public sealed record Workload(ManifestObject Object, YamlMappingNode PodSpec, IReadOnlyDictionary<string, string> PodLabels)
{
    public string Namespace => Object.Namespace ?? "default";
    public string Describe() => Object.Describe();

    public YamlMappingNode? PodSecurityContext => PodSpec.GetMap("securityContext");

    public IEnumerable<Container> Containers =>
        new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => PodSpec.GetSeq(list).Maps().Select(c => new Container(c.GetString("name") ?? "(unnamed)", c)));

    /// <summary>The pod template of each kind that has one; a Pod is its own template.</summary>
    public static IEnumerable<Workload> From(ManifestObject o)
    {
        var template = o.Kind switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "ReplicationController" => o.Spec.GetMap("template"),
            "CronJob" => o.Spec.GetMap("jobTemplate").GetMap("spec").GetMap("template"),
            "PodTemplate" => o.Root.GetMap("template"),
            "Pod" => o.Root,
            _ => null,
        };
        var spec = template.GetMap("spec");
        if (template is null || spec is null) yield break;
        yield return new Workload(o, spec, template.GetMap("metadata").GetMap("labels").ToStringMap());
    }
}

public sealed record Container(string Name, YamlMappingNode Node)
{
    public YamlMappingNode? SecurityContext => Node.GetMap("securityContext");
    /// <summary>Where a finding about the container as a whole points: its name.</summary>
    public int Line => Node.KeyLine("name");
}
