using System.Collections;
using System.Text;

namespace Vteam.Build.Engine;

/// <summary>--help: targets with descriptions and dependencies; parameters with their values and where each came from.</summary>
internal static class HelpWriter
{
    public static string Write(TargetGraph graph, IReadOnlyList<string> defaultTargets, ParameterSet parameters, Func<ParameterDescriptor, object?> currentValue)
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: ./build.sh [targets] [--parameter value ...]");
        text.AppendLine();
        text.AppendLine("Targets" + (defaultTargets.Count > 0 ? $" (default: {string.Join(", ", defaultTargets)})" : ""));
        var listed = graph.Nodes.Where(n => !n.Unlisted).ToArray();
        var width = listed.Length == 0 ? 0 : listed.Max(n => n.Name.Length) + 2;
        foreach (var node in listed)
        {
            text.AppendLine(("  " + node.Name.PadRight(width) + (node.Description ?? "")).TrimEnd());
            if (node.DependsOn.Count > 0) text.Append("  ").Append(new string(' ', width)).AppendLine("depends on: " + string.Join(", ", node.DependsOn));
            if (node.Triggers.Count > 0) text.Append("  ").Append(new string(' ', width)).AppendLine("triggers: " + string.Join(", ", node.Triggers));
        }
        text.AppendLine();
        text.AppendLine("Parameters (command line, else environment variable, else .nuke/parameters.json, else default)");
        var rows = parameters.All.Select(p => (Left: p.Descriptor.IsFlag ? $"--{p.Descriptor.CliName}" : $"--{p.Descriptor.CliName} <{ParameterResolver.Describe(p.Descriptor.ValueType)}>", Parameter: p)).ToArray();
        var parameterWidth = rows.Length == 0 ? 0 : rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, p) in rows)
        {
            text.AppendLine(("  " + left.PadRight(parameterWidth) + (p.Descriptor.Description ?? "")).TrimEnd());
            text.Append("  ").Append(new string(' ', parameterWidth))
                .AppendLine($"env {p.Descriptor.EnvironmentName}; {(p.Descriptor.IsSecret ? "secret; " : "")}current: {Show(p, currentValue(p.Descriptor))}");
        }
        return text.ToString();
    }

    private static string Show(ResolvedParameter p, object? value)
    {
        var source = p.Source switch
        {
            ParameterSource.CommandLine => "command line",
            ParameterSource.Environment => "environment",
            ParameterSource.ParametersFile => ".nuke/parameters.json",
            _ => "default",
        };
        if (p.Descriptor.IsSecret) return value is null or "" ? "(not set)" : $"*** ({source})";
        return $"{(value is null && p.Descriptor.IsFlag ? "false" : Format(value))} ({source})";
    }

    public static string Format(object? value) => value switch
    {
        null => "(none)",
        string s => s.Length == 0 ? "\"\"" : s,
        bool b => b ? "true" : "false",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        Enum e => ParameterDiscovery.KebabCase(e.ToString()),
        _ => value.ToString() ?? "",
    };
}
