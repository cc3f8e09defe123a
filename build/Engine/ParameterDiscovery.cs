using System.Reflection;
using System.Text;

namespace Vteam.Build.Engine;

/// <summary>Finds the [Parameter] members of a build class, its base classes and its interfaces.</summary>
internal static class ParameterDiscovery
{
    public static IReadOnlyList<ParameterDescriptor> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = buildType.GetMembers(flags).Where(m => m is FieldInfo or PropertyInfo)
            .Concat(buildType.GetInterfaces().SelectMany(i => i.GetProperties(flags)));
        var result = new List<ParameterDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members.OrderBy(m => m.DeclaringType == typeof(NukeBuild)).ThenBy(m => m.Name, StringComparer.Ordinal))
        {
            var attribute = member.GetCustomAttribute<ParameterAttribute>();
            if (attribute is null) continue;
            var name = member.Name[(member.Name.LastIndexOf('.') + 1)..];
            if (!seen.Add(name)) continue;
            var type = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
            result.Add(new ParameterDescriptor(
                name,
                attribute.Name ?? KebabCase(name),
                attribute.EnvironmentVariable ?? SnakeCase(name),
                attribute.Description,
                type,
                member.GetCustomAttribute<SecretAttribute>() is not null,
                member));
        }
        return result;
    }

    public static string KebabCase(string name) => Split(name, '-').ToLowerInvariant();
    public static string SnakeCase(string name) => Split(name, '_').ToUpperInvariant();

    private static string Split(string name, char separator)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && char.IsUpper(c) &&
                (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (boundary) builder.Append(separator);
            builder.Append(c);
        }
        return builder.ToString();
    }
}
