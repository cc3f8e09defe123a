using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vteam.Build.Containers;

/// <summary>A scalar value of a mapping key in a YAML file, with its exact place (quotes excluded) and style.</summary>
public sealed record YamlValue(string Key, string Value, int Line, TextSpan Span, ScalarStyle Style);

/// <summary>Walks YAML events and yields the values of chosen keys, with spans into the original text.</summary>
public static class YamlValues
{
    public static IReadOnlyList<YamlValue> Find(string file, string text, ISet<string> keys)
    {
        var values = new List<YamlValue>();
        // Each open mapping remembers whether its next scalar is a key, and the last key read.
        var stack = new Stack<(bool Mapping, bool ExpectKey, string? Key)>();
        var parser = new Parser(new StringReader(text));
        var line = 1L;
        try
        {
            while (parser.MoveNext())
            {
                line = parser.Current?.Start.Line ?? line;
                switch (parser.Current)
                {
                    case MappingStart:
                        ValueConsumed(stack);
                        stack.Push((true, true, null));
                        break;
                    case SequenceStart:
                        ValueConsumed(stack);
                        stack.Push((false, false, null));
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        break;
                    case Scalar scalar when stack.Count > 0 && stack.Peek() is { Mapping: true, ExpectKey: true }:
                        stack.Pop();
                        stack.Push((true, false, scalar.Value));
                        break;
                    case Scalar scalar:
                        var key = stack.Count > 0 && stack.Peek().Mapping ? stack.Peek().Key : null;
                        ValueConsumed(stack);
                        if (key is not null && keys.Contains(key) && scalar.Value.Length > 0)
                        {
                            var start = (int)scalar.Start.Index;
                            var end = (int)scalar.End.Index;
                            if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) { start++; end--; }
                            // Block scalars and escapes are not edited in place: they are not where a reference is written.
                            if (end - start == scalar.Value.Length && end <= text.Length && text.Substring(start, end - start) == scalar.Value)
                                values.Add(new YamlValue(key, scalar.Value, (int)scalar.Start.Line, new TextSpan(start, end - start), scalar.Style));
                        }
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"{file}:{e.Start.Line}: not valid YAML ({e.Message}); fix the file to pin it.");
        }
        catch (InvalidOperationException e)
        {
            // The parser gives up this way on some malformed flow collections.
            throw new InvalidOperationException($"{file}:{line}: not valid YAML ({e.Message}); fix the file to pin it.");
        }
        return values;
    }

    private static void ValueConsumed(Stack<(bool Mapping, bool ExpectKey, string? Key)> stack)
    {
        if (stack.Count == 0 || !stack.Peek().Mapping) return;
        var top = stack.Pop();
        stack.Push((true, true, top.Key));
    }
}

/// <summary>Image sites of Kubernetes manifests: every <c>image:</c> value, except images this build produces.</summary>
public static class ManifestImageFinder
{
    public static IReadOnlyList<ImageSite> Find(string file, string text, IReadOnlyCollection<string> ownImagePrefixes)
    {
        var sites = new List<ImageSite>();
        foreach (var value in YamlValues.Find(file, text, new HashSet<string> { "image" }))
        {
            var site = new ImageSite(file, value.Line, ImageUseKind.ManifestImage, value.Value, ImageSiteState.Unpinned);
            if (!ImageReference.TryParse(value.Value, out var reference, out var error))
            {
                sites.Add(site with
                {
                    State = value.Value.Contains("${") || value.Value.Contains("{{") ? ImageSiteState.NotAnImage : ImageSiteState.Unpinnable,
                    Via = value.Value.Contains('$') || value.Value.Contains("{{") ? "template" : null,
                    Problem = $"'{value.Value}' is not an image reference: {error}",
                });
                continue;
            }
            if (ownImagePrefixes.Any(p => p.Length > 0 && (value.Value.StartsWith(p, StringComparison.Ordinal) || reference.Name.StartsWith(p, StringComparison.Ordinal))))
            {
                sites.Add(site with { State = ImageSiteState.NotAnImage, Reference = reference, Via = "built here" });
                continue;
            }
            sites.Add(site with
            {
                State = reference.IsPinned ? ImageSiteState.Pinned : ImageSiteState.Unpinned,
                Reference = reference,
                EditSpan = value.Span,
                EditLine = value.Line,
            });
        }
        return sites;
    }
}

/// <summary>A <c>uses:</c> of a workflow: an action or reusable workflow at a ref, with the version comment after it.</summary>
public sealed partial record WorkflowUse(string File, int Line, string Value, TextSpan Span, string Owner, string Repository, string? SubPath, string Ref, string? VersionComment)
{
    public bool IsPinned => CommitPattern().IsMatch(Ref);
    /// <summary>The ref a pin tracks: the version comment of a pinned use, else the ref itself.</summary>
    public string? TrackedRef => IsPinned ? VersionComment : Ref;
    public string Action => $"{Owner}/{Repository}{(SubPath is null ? "" : "/" + SubPath)}";

    [GeneratedRegex("^[0-9a-f]{40}$")]
    internal static partial Regex CommitPattern();
}

public static partial class WorkflowUseFinder
{
    /// <summary>Every remote <c>uses:</c> (not ./local ones, not docker://) of a workflow file.</summary>
    public static IReadOnlyList<WorkflowUse> Find(string file, string text)
    {
        var uses = new List<WorkflowUse>();
        foreach (var value in YamlValues.Find(file, text, new HashSet<string> { "uses" }))
        {
            var match = UsesPattern().Match(value.Value);
            if (!match.Success) continue;
            var lineEnd = text.IndexOf('\n', value.Span.End);
            var rest = text[(value.Span.End + (value.Style == ScalarStyle.Plain ? 0 : 1))..(lineEnd < 0 ? text.Length : lineEnd)];
            var comment = CommentPattern().Match(rest);
            uses.Add(new WorkflowUse(file, value.Line, value.Value, value.Span, match.Groups["owner"].Value, match.Groups["repo"].Value,
                match.Groups["path"].Success ? match.Groups["path"].Value : null, match.Groups["ref"].Value,
                comment.Success ? comment.Groups[1].Value : null));
        }
        return uses;
    }

    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9_.-]+)/(?<repo>[A-Za-z0-9_.-]+)(?:/(?<path>[^@]+))?@(?<ref>[^\s@]+)$")]
    private static partial Regex UsesPattern();

    [GeneratedRegex(@"^\s*#\s*(?:ratchet:[^@\s]+@)?(\S+)")]
    private static partial Regex CommentPattern();
}
