using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Policy.Manifests;

/// <summary>A Kubernetes label selector (matchLabels and matchExpressions); empty selects everything.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyDictionary<string, string> _labels;
    private readonly IReadOnlyList<(string Key, string Operator, string[] Values)> _expressions;

    private LabelSelector(IReadOnlyDictionary<string, string> labels, IReadOnlyList<(string, string, string[])> expressions)
    {
        _labels = labels;
        _expressions = expressions;
    }

    public bool IsEmpty => _labels.Count == 0 && _expressions.Count == 0;

    public static LabelSelector Parse(YamlMappingNode? selector) => new(
        selector.GetMap("matchLabels").ToStringMap(),
        selector.GetSeq("matchExpressions").Maps()
            .Select(e => (e.GetString("key") ?? "", e.GetString("operator") ?? "", e.GetSeq("values").Scalars().Select(s => s.Value!).ToArray()))
            .ToArray());

    /// <summary>A PodDisruptionBudget or Service-style selector: a plain map of labels.</summary>
    public static LabelSelector FromLabels(IReadOnlyDictionary<string, string> labels) => new(labels, []);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
        => _labels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
           && _expressions.All(e => e.Operator switch
           {
               "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
               "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
               "Exists" => labels.ContainsKey(e.Key),
               "DoesNotExist" => !labels.ContainsKey(e.Key),
               _ => false,
           });
}
