using System.Globalization;
using System.Text.Json;

namespace Vteam.Build.Engine;

/// <summary>
/// Gives each parameter its value: command line, else environment, else .nuke/parameters.json,
/// else the member's default. Every problem is collected and reported at once.
/// </summary>
internal static class ParameterResolver
{
    public sealed record Result(ParameterSet Parameters, IReadOnlyList<string> Warnings);

    public static Result Resolve(
        IReadOnlyList<ParameterDescriptor> descriptors,
        CommandLine commandLine,
        Func<string, string?> environment,
        ParametersFile? file,
        AbsolutePath root)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var byCliName = descriptors.ToDictionary(d => d.CliName, StringComparer.OrdinalIgnoreCase);

        foreach (var name in commandLine.Arguments.Keys.Where(n => !byCliName.ContainsKey(n)))
        {
            var nearest = Levenshtein.Nearest(name, byCliName.Keys);
            errors.Add(nearest is not null
                ? $"Unknown parameter '--{name}'. Did you mean '--{nearest}'?"
                : $"Unknown parameter '--{name}'. See ./build.sh --help for the parameters.");
        }
        if (file is not null)
            foreach (var (key, entry) in file.Values)
                if (!descriptors.Any(d => Matches(d, key)))
                {
                    var nearest = Levenshtein.Nearest(key, descriptors.Select(d => d.MemberName));
                    errors.Add($"{file.Path}:{entry.Line}: unknown parameter '{key}'." + (nearest is not null ? $" Did you mean '{nearest}'?" : " Remove it or see ./build.sh --help."));
                }

        var resolved = new List<ResolvedParameter>();
        foreach (var descriptor in descriptors)
        {
            try
            {
                resolved.Add(ResolveOne(descriptor, commandLine, environment, file, root, warnings));
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
                resolved.Add(new ResolvedParameter(descriptor, null, ParameterSource.Default, null));
            }
        }
        if (errors.Count > 0) throw new BuildConfigurationException(string.Join(Environment.NewLine, errors));
        return new Result(new ParameterSet(resolved), warnings);
    }

    private static bool Matches(ParameterDescriptor descriptor, string key)
        => string.Equals(descriptor.MemberName, key, StringComparison.OrdinalIgnoreCase) || string.Equals(descriptor.CliName, key, StringComparison.OrdinalIgnoreCase);

    private static ResolvedParameter ResolveOne(ParameterDescriptor d, CommandLine commandLine, Func<string, string?> environment,
        ParametersFile? file, AbsolutePath root, List<string> warnings)
    {
        if (commandLine.Arguments.TryGetValue(d.CliName, out var values))
        {
            if (d.IsSecret)
                warnings.Add($"--{d.CliName} is a secret: pass it as the environment variable {d.EnvironmentName} instead; other processes can read a command line.");
            var raw = string.Join(" ", values);
            return new(d, Convert(d, values, $"--{d.CliName} on the command line", root), ParameterSource.CommandLine, d.IsSecret ? null : raw);
        }
        if (environment(d.EnvironmentName) is { } value)
        {
            var parts = d.IsList ? value.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [value];
            return new(d, Convert(d, parts, $"the environment variable {d.EnvironmentName}", root), ParameterSource.Environment, d.IsSecret ? null : value);
        }
        var entry = file?.Values.FirstOrDefault(v => Matches(d, v.Key));
        if (entry is { Key: not null } found)
        {
            var element = found.Value.Value;
            if (d.IsSecret)
                warnings.Add($"{file!.Path}:{found.Value.Line}: '{found.Key}' is a secret and does not belong in a committed file: use {d.EnvironmentName}.");
            IReadOnlyList<string> parts = element.ValueKind switch
            {
                JsonValueKind.Array => element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray(),
                JsonValueKind.String => [element.GetString()!],
                JsonValueKind.Null => [],
                _ => [element.GetRawText()],
            };
            return new(d, Convert(d, parts, $"{file!.Path}:{found.Value.Line} ('{found.Key}')", root), ParameterSource.ParametersFile, d.IsSecret ? null : element.GetRawText());
        }
        return new(d, null, ParameterSource.Default, null);
    }

    public static object? Convert(ParameterDescriptor d, IReadOnlyList<string> values, string where, AbsolutePath root)
    {
        var type = d.ElementType;
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, values.Count);
            for (var i = 0; i < values.Count; i++) array.SetValue(ConvertScalar(d, element, values[i], where, root), i);
            return array;
        }
        if (type == typeof(bool) && values.Count == 0) return true;
        if (values.Count != 1)
            throw new FormatException(values.Count == 0
                ? $"{where} needs a value ({Describe(type)})."
                : $"{where} takes one value, not {values.Count}: '{(d.IsSecret ? "***" : string.Join(" ", values))}'.");
        return ConvertScalar(d, type, values[0], where, root);
    }

    private static object ConvertScalar(ParameterDescriptor d, Type type, string value, string where, AbsolutePath root)
    {
        string Shown() => d.IsSecret ? "***" : $"'{value}'";
        if (type == typeof(string)) return value;
        if (type == typeof(bool))
            return bool.TryParse(value, out var b) ? b : throw new FormatException($"{where}: {Shown()} is not true or false.");
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new FormatException($"{where}: {Shown()} is not a whole number.");
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : throw new FormatException($"{where}: {Shown()} is not a number.");
        if (type == typeof(TimeSpan))
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) ? t : throw new FormatException($"{where}: {Shown()} is not a duration (hh:mm:ss).");
        if (type == typeof(AbsolutePath))
            return Path.IsPathFullyQualified(value) ? new AbsolutePath(value) : root / value;
        if (type.IsEnum)
        {
            var normalised = value.Replace("-", "").Replace("_", "");
            foreach (var name in Enum.GetNames(type))
                if (string.Equals(name, normalised, StringComparison.OrdinalIgnoreCase))
                    return Enum.Parse(type, name);
            throw new FormatException($"{where}: {Shown()} is not one of {string.Join(", ", Enum.GetNames(type).Select(ParameterDiscovery.KebabCase))}.");
        }
        throw new FormatException($"{where}: parameters of type {type.Name} are not supported.");
    }

    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return Describe(type.GetElementType()!) + "…";
        if (type.IsEnum) return string.Join("|", Enum.GetNames(type).Select(ParameterDiscovery.KebabCase));
        return type == typeof(bool) ? "bool" : type == typeof(int) ? "int" : type == typeof(AbsolutePath) ? "path" : type == typeof(double) ? "number" : type == typeof(TimeSpan) ? "duration" : "string";
    }
}

/// <summary>.nuke/parameters.json: default parameter values, with the line of each key for messages.</summary>
internal sealed record ParametersFile(string Path, IReadOnlyDictionary<string, (JsonElement Value, int Line)> Values)
{
    public static ParametersFile? Load(string path)
    {
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BuildConfigurationException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" LineNumber")[0]}). Fix the file or delete it.");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new BuildConfigurationException($"{path}:1: must hold one JSON object of parameter names and values.");
        var lines = text.Split('\n');
        var values = new Dictionary<string, (JsonElement, int)>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "$schema") continue;
            var line = Array.FindIndex(lines, l => l.Contains($"\"{property.Name}\"", StringComparison.Ordinal)) + 1;
            values[property.Name] = (property.Value.Clone(), line);
        }
        return new ParametersFile(path, values);
    }
}
