using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Vteam.Build.Engine;

/// <summary>The resolved parameters of each running build instance.</summary>
internal static class ParameterValues
{
    private static readonly ConditionalWeakTable<INukeBuild, ParameterSet> Sets = new();

    public static void Attach(INukeBuild build, ParameterSet set) => Sets.AddOrUpdate(build, set);

    public static ParameterSet? For(INukeBuild build) => Sets.TryGetValue(build, out var set) ? set : null;

    public static T? Get<T>(INukeBuild build, Expression<Func<T>> parameter)
    {
        var name = ExpressionNames.MemberName(parameter);
        var set = For(build);
        if (set is null || !set.TryGet(name, out var value) || value is null) return default;
        return (T?)value;
    }
}
