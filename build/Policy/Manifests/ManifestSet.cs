namespace Vteam.Build.Policy.Manifests;

/// <summary>Every object of the manifests directory, and the pod-producing workloads among them.</summary>
public sealed class ManifestSet
{
    public ManifestSet(IEnumerable<ManifestObject> objects)
    {
        Objects = objects.ToArray();
        Workloads = Objects.SelectMany(Workload.From).ToArray();
    }

    public IReadOnlyList<ManifestObject> Objects { get; }
    public IReadOnlyList<Workload> Workloads { get; }

    public IEnumerable<ManifestObject> OfKind(string kind) => Objects.Where(o => o.Is(kind));

    public IEnumerable<ManifestObject> OfKind(string kind, string? @namespace) => OfKind(kind).Where(o => o.Namespace == @namespace);

    /// <summary>Namespaces that hold at least one workload, in order of first appearance.</summary>
    public IReadOnlyList<string> WorkloadNamespaces => Workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Where a finding about a namespace points: its Namespace object, else its first workload.</summary>
    public (string File, int Line) NamespaceLocation(string @namespace)
    {
        var ns = OfKind("Namespace").FirstOrDefault(n => n.Name == @namespace);
        if (ns is not null) return (ns.File, ns.NameLine);
        var first = Workloads.First(w => w.Namespace == @namespace);
        return (first.Object.File, first.Object.NameLine);
    }
}
