using System.Reflection;

namespace Vteam.Build.Engine;

public enum ParameterSource { Default, ParametersFile, Environment, CommandLine }

/// <summary>One declared parameter: a [Parameter] field or property on the build or a capability interface.</summary>
internal sealed record ParameterDescriptor(
    string MemberName,
    string CliName,
    string EnvironmentName,
    string? Description,
    Type ValueType,
    bool IsSecret,
    MemberInfo Member)
{
    public Type ElementType => Nullable.GetUnderlyingType(ValueType) ?? ValueType;
    public bool IsFlag => ElementType == typeof(bool);
    public bool IsList => ElementType.IsArray;
}

internal sealed record ResolvedParameter(ParameterDescriptor Descriptor, object? Value, ParameterSource Source, string? RawValue);

/// <summary>The parameters of a run with their values and where each value came from.</summary>
internal sealed class ParameterSet(IReadOnlyList<ResolvedParameter> parameters)
{
    private readonly Dictionary<string, ResolvedParameter> _byName =
        parameters.ToDictionary(p => p.Descriptor.MemberName, StringComparer.Ordinal);

    public IReadOnlyList<ResolvedParameter> All { get; } = parameters;

    public bool TryGet(string memberName, out object? value)
    {
        if (_byName.TryGetValue(memberName, out var resolved) && resolved.Source != ParameterSource.Default)
        {
            value = resolved.Value;
            return true;
        }
        value = null;
        return false;
    }

    public ResolvedParameter? Find(string memberName) => _byName.GetValueOrDefault(memberName);
}
