namespace Vteam.Build.Engine;

/// <summary>What was asked: targets, --skip, and the targets whose static conditions are false (with why).</summary>
public sealed record PlanRequest(
    IReadOnlyList<string> Requested,
    IReadOnlyList<string>? Skip = null,
    IReadOnlyDictionary<string, string>? StaticallySkipped = null);

public sealed record PlannedTarget(string Name, bool Requested, string? SkipReason)
{
    public bool Skipped => SkipReason is not null;
}

public sealed record ExecutionPlan(IReadOnlyList<PlannedTarget> Targets)
{
    public PlannedTarget? Find(string name) => Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The pure planner: requested targets + graph → ordered plan. Dependencies and triggered targets are
/// scheduled; DependsOn, After, Before and Triggers order them; a cycle is an error that names it.
/// </summary>
public static class ExecutionPlanner
{
    public static ExecutionPlan Plan(TargetGraph graph, PlanRequest request)
    {
        EnsureAcyclic(graph);
        var requested = request.Requested.Select(n => Resolve(graph, n)).Distinct().ToList();
        if (requested.Count == 0)
            throw new BuildConfigurationException("No target was requested and the build has no default target.");

        var scheduled = Schedule(graph, requested);
        var order = Order(graph, scheduled, requested);
        var reasons = SkipReasons(graph, request, requested, scheduled);
        return new ExecutionPlan(order.Select(n => new PlannedTarget(n, requested.Contains(n), reasons.GetValueOrDefault(n))).ToArray());
    }

    public static string Resolve(TargetGraph graph, string name)
    {
        var node = graph.Find(name);
        if (node is not null) return node.Name;
        var nearest = Levenshtein.Nearest(name, graph.Nodes.Select(n => n.Name));
        throw new BuildConfigurationException(nearest is not null
            ? $"Unknown target '{name}'. Did you mean '{nearest}'?"
            : $"Unknown target '{name}'. Targets: {string.Join(", ", graph.Nodes.Where(n => !n.Unlisted).Select(n => n.Name))}.");
    }

    private static HashSet<string> Schedule(TargetGraph graph, IEnumerable<string> requested)
    {
        var scheduled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var work = new Stack<string>(requested.Reverse());
        while (work.Count > 0)
        {
            var name = work.Pop();
            if (!scheduled.Add(name)) continue;
            var node = graph[name];
            foreach (var next in node.DependsOn.Concat(node.Triggers)) work.Push(graph[next].Name);
        }
        return scheduled;
    }

    /// <summary>Targets that must come before <paramref name="name"/>, among all or among the scheduled.</summary>
    private static IEnumerable<string> Predecessors(TargetGraph graph, string name, ISet<string>? within)
    {
        var node = graph[name];
        var before = node.DependsOn.Concat(node.After)
            .Concat(graph.Nodes.Where(n => n.Before.Contains(name, StringComparer.OrdinalIgnoreCase) || n.Triggers.Contains(name, StringComparer.OrdinalIgnoreCase)).Select(n => n.Name))
            .Select(n => graph[n].Name)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return within is null ? before : before.Where(within.Contains);
    }

    private static void EnsureAcyclic(TargetGraph graph)
    {
        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var path = new List<string>();
        foreach (var node in graph.Nodes) Visit(node.Name);

        void Visit(string name)
        {
            var s = state.GetValueOrDefault(name);
            if (s == 2) return;
            if (s == 1)
            {
                var cycle = path.Skip(path.FindIndex(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase))).Append(name);
                // Edges point from a target to what must run first; read the cycle the way it runs.
                throw new BuildConfigurationException($"The targets form a cycle: {string.Join(" → ", cycle.Reverse())}. Remove one of these dependencies.");
            }
            state[name] = 1;
            path.Add(name);
            foreach (var predecessor in Predecessors(graph, name, null)) Visit(predecessor);
            path.RemoveAt(path.Count - 1);
            state[name] = 2;
        }
    }

    private static List<string> Order(TargetGraph graph, HashSet<string> scheduled, List<string> requested)
    {
        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var roots = requested.Concat(graph.Nodes.Select(n => n.Name).Where(scheduled.Contains));
        foreach (var root in roots) Visit(root);
        return order;

        void Visit(string name)
        {
            if (!done.Add(name)) return;
            foreach (var predecessor in Predecessors(graph, name, scheduled)) Visit(predecessor);
            order.Add(name);
        }
    }

    private static Dictionary<string, string> SkipReasons(TargetGraph graph, PlanRequest request, List<string> requested, HashSet<string> scheduled)
    {
        var reasons = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Skip is { Count: 0 })
            foreach (var name in scheduled.Where(n => !requested.Contains(n, StringComparer.OrdinalIgnoreCase)))
                reasons[name] = "--skip (not requested)";
        foreach (var skip in request.Skip ?? [])
        {
            var name = Resolve(graph, skip);
            if (scheduled.Contains(name)) reasons[name] = $"--skip {name}";
        }
        foreach (var (name, why) in request.StaticallySkipped ?? new Dictionary<string, string>())
            if (scheduled.Contains(name) && !reasons.ContainsKey(name))
                reasons[graph[name].Name] = why;

        // A dependency that only skipped targets need is skipped with them.
        bool changed;
        do
        {
            changed = false;
            foreach (var name in scheduled)
            {
                if (reasons.ContainsKey(name) || requested.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                var needers = scheduled.Where(n => graph[n].DependsOn.Concat(graph[n].Triggers).Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
                if (needers.Count > 0 && needers.All(reasons.ContainsKey))
                {
                    reasons[name] = $"only needed by skipped {string.Join(", ", needers)}";
                    changed = true;
                }
            }
        } while (changed);
        return reasons;
    }
}
