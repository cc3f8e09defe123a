using System.Reflection;

namespace Vteam.Build.Engine;

/// <summary>
/// Finds every Target property on a build class and its capability interfaces, runs each definition
/// once, and resolves references between targets (delegates compare by their method) to names.
/// </summary>
internal static class TargetDiscovery
{
    public static IReadOnlyList<ExecutableTarget> Discover(object build)
    {
        var properties = TargetProperties(build.GetType());
        var byMethod = new Dictionary<MethodInfo, string>();
        var definitions = new List<(string Name, Type DeclaringType, TargetDefinition Definition)>();

        foreach (var (name, property) in properties)
        {
            var target = (Target?)property.GetValue(build)
                ?? throw new BuildConfigurationException($"Target '{name}' ({property.DeclaringType?.Name}) has no definition.");
            byMethod.TryAdd(target.Method, name);
            var definition = new TargetDefinition();
            target(definition);
            definitions.Add((name, property.DeclaringType!, definition));
        }

        string NameOf(TargetReference reference, string from)
        {
            var target = reference.Resolve(build);
            return byMethod.TryGetValue(target.Method, out var name)
                ? name
                : throw new BuildConfigurationException($"Target '{from}' refers to a target that is not a property of this build.");
        }

        var nodes = definitions.ToDictionary(d => d.Name, d => new
        {
            DependsOn = d.Definition.DependsOnTargets.Select(r => NameOf(r, d.Name)).ToList(),
            After = d.Definition.AfterTargets.Select(r => NameOf(r, d.Name)).ToList(),
            Before = d.Definition.BeforeTargets.Select(r => NameOf(r, d.Name)).ToList(),
            Triggers = d.Definition.TriggersTargets.Select(r => NameOf(r, d.Name)).ToList(),
        });
        // Fold the reverse edges into the targets they name.
        foreach (var (name, _, definition) in definitions)
        {
            foreach (var dependent in definition.DependentForTargets.Select(r => NameOf(r, name)))
                nodes[dependent].DependsOn.Add(name);
            foreach (var trigger in definition.TriggeredByTargets.Select(r => NameOf(r, name)))
                nodes[trigger].Triggers.Add(name);
        }

        return definitions.Select(d => new ExecutableTarget(
            new TargetNode(d.Name, d.Definition.DescriptionText,
                nodes[d.Name].DependsOn.Distinct().ToArray(), nodes[d.Name].After.Distinct().ToArray(),
                nodes[d.Name].Before.Distinct().ToArray(), nodes[d.Name].Triggers.Distinct().ToArray(),
                d.Definition.IsUnlisted),
            d.Definition, d.DeclaringType)).ToArray();
    }

    /// <summary>Target properties by name: the class's own first (in declaration order), then the interfaces'.</summary>
    private static List<(string Name, PropertyInfo Property)> TargetProperties(Type type)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var result = new List<(string, PropertyInfo)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var classes = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType) classes.Insert(0, t);
        foreach (var property in classes.SelectMany(t => t.GetProperties(flags)).OrderBy(p => p.MetadataToken))
            Add(property);
        foreach (var @interface in type.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal))
            foreach (var property in @interface.GetProperties(flags).OrderBy(p => p.MetadataToken))
                Add(property);
        return result;

        void Add(PropertyInfo property)
        {
            if (property.PropertyType != typeof(Target) || property.GetIndexParameters().Length > 0) return;
            // An explicit interface implementation is named Namespace.IFoo.Bar: its target is Bar.
            var name = property.Name[(property.Name.LastIndexOf('.') + 1)..];
            if (seen.Add(name)) result.Add((name, property));
        }
    }
}
