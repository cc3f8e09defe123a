namespace Vteam.Build.Engine;

/// <summary>One target of the graph, by name, with its edges resolved to names. Plain data: the planner works on this.</summary>
public sealed record TargetNode(
    string Name,
    string? Description = null,
    IReadOnlyList<string>? DependsOn = null,
    IReadOnlyList<string>? After = null,
    IReadOnlyList<string>? Before = null,
    IReadOnlyList<string>? Triggers = null,
    bool Unlisted = false)
{
    public IReadOnlyList<string> DependsOn { get; init; } = DependsOn ?? [];
    public IReadOnlyList<string> After { get; init; } = After ?? [];
    public IReadOnlyList<string> Before { get; init; } = Before ?? [];
    public IReadOnlyList<string> Triggers { get; init; } = Triggers ?? [];
}

/// <summary>The targets of a build in declaration order. DependentFor and TriggeredBy are already folded in.</summary>
public sealed class TargetGraph
{
    private readonly Dictionary<string, TargetNode> _byName;

    public TargetGraph(IEnumerable<TargetNode> nodes)
    {
        Nodes = nodes.ToArray();
        _byName = new Dictionary<string, TargetNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in Nodes)
            if (!_byName.TryAdd(node.Name, node))
                throw new BuildConfigurationException($"Two targets are named '{node.Name}': rename one of them.");
        foreach (var node in Nodes)
            foreach (var reference in node.DependsOn.Concat(node.After).Concat(node.Before).Concat(node.Triggers))
                if (!_byName.ContainsKey(reference))
                    throw new BuildConfigurationException($"Target '{node.Name}' refers to '{reference}', which is not a target of this build.");
    }

    public IReadOnlyList<TargetNode> Nodes { get; }

    public TargetNode? Find(string name) => _byName.GetValueOrDefault(name);
    public TargetNode this[string name] => _byName[name];
}

/// <summary>The build itself is wrong (graph, parameters): reported without a stack trace.</summary>
public sealed class BuildConfigurationException(string message) : Exception(message);
