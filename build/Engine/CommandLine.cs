namespace Vteam.Build.Engine;

/// <summary>The command line split into targets and named arguments (values as given, not converted).</summary>
internal sealed record CommandLine(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, IReadOnlyList<string>> Arguments)
{
    /// <summary>Positional words before the first --option are targets; each --option takes the words after it.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, Func<string, bool>? isFlag = null)
    {
        var targets = new List<string>();
        var arguments = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        List<string>? values = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var name = arg[2..];
                string? inline = null;
                var equals = name.IndexOf('=');
                if (equals > 0) (name, inline) = (name[..equals], name[(equals + 1)..]);
                current = name;
                values = [];
                if (inline is not null) values.Add(inline);
                if (arguments.ContainsKey(name))
                    throw new BuildConfigurationException($"--{name} is given twice on the command line: give it once (a list takes several values after one --{name}).");
                arguments[name] = values;
            }
            else if (arg is "-h" or "-?" or "/?")
            {
                arguments["help"] = [];
            }
            else if (values is not null && !(isFlag?.Invoke(current!) == true && (values.Count > 0 || !bool.TryParse(arg, out _))))
            {
                values.Add(arg);
            }
            else if (string.Equals(current, "target", StringComparison.OrdinalIgnoreCase) && values is not null)
            {
                values.Add(arg);
            }
            else
            {
                targets.Add(arg);
            }
        }
        if (arguments.Remove("target", out var named)) targets.AddRange(named);
        return new CommandLine(targets, arguments);
    }
}
