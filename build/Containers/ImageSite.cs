using System.Text.RegularExpressions;

namespace Vteam.Build.Containers;

public enum ImageSiteState
{
    /// <summary>A tag without a digest: to be pinned.</summary>
    Unpinned,
    /// <summary>Carries a digest already.</summary>
    Pinned,
    /// <summary>scratch or a stage of this Dockerfile: nothing to pin.</summary>
    NotAnImage,
    /// <summary>An image that cannot be pinned in place; <see cref="ImageSite.Problem"/> says why and what to do.</summary>
    Unpinnable,
}

/// <summary>
/// An image named by a Dockerfile, and where its reference text sits: the FROM word itself, or the
/// default of the ARG that a FROM consists of (pinning the default pins the FROM).
/// </summary>
public sealed record ImageSite(
    string File,
    int Line,
    ImageUseKind Kind,
    string Written,
    ImageSiteState State,
    ImageReference? Reference = null,
    TextSpan? EditSpan = null,
    int? EditLine = null,
    string? Platform = null,
    string? Problem = null,
    string? Via = null)
{
    /// <summary>Where the reference text is (the ARG's line for an ARG-valued FROM).</summary>
    public string Location => $"{File}:{EditLine ?? Line}";
}

/// <summary>Finds every image a Dockerfile names and decides, without I/O, how each can be pinned.</summary>
public static partial class ImageSiteFinder
{
    public static IReadOnlyList<ImageSite> Find(Dockerfile dockerfile, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        buildArgs ??= new Dictionary<string, string>();
        var sites = new List<ImageSite>();
        var stageNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var globalScope = Scope(dockerfile.GlobalArgs, buildArgs, parent: null);

        foreach (var use in dockerfile.ImageUses)
        {
            IReadOnlyDictionary<string, ArgValue> scope;
            if (use.Kind == ImageUseKind.From)
                scope = globalScope;
            else
            {
                // In a stage only the ARGs declared in it are visible; a bare ARG takes the global default.
                var declared = dockerfile.Args.Where(a => a.StageIndex == use.StageIndex && a.Line < use.Line);
                scope = Scope(declared, buildArgs, globalScope);
            }
            sites.Add(Classify(dockerfile.Path, use, scope, stageNames));
            if (use.Kind == ImageUseKind.From && dockerfile.Stages[use.StageIndex].Name is { } name)
                stageNames[name] = use.StageIndex;
        }
        return sites;
    }

    private sealed record ArgValue(string? Value, ArgDeclaration Declaration, bool Overridden);

    private static Dictionary<string, ArgValue> Scope(IEnumerable<ArgDeclaration> args, IReadOnlyDictionary<string, string> buildArgs, IReadOnlyDictionary<string, ArgValue>? parent)
    {
        var scope = new Dictionary<string, ArgValue>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (buildArgs.TryGetValue(arg.Name, out var overridden))
                scope[arg.Name] = new ArgValue(overridden, arg, true);
            else if (arg.Default is not null)
                scope[arg.Name] = new ArgValue(Expand(arg.Default, scope).Value, arg, false);
            else if (parent is not null && parent.TryGetValue(arg.Name, out var inherited))
                scope[arg.Name] = inherited;
            else
                scope[arg.Name] = new ArgValue(null, arg, false);
        }
        return scope;
    }

    private static ImageSite Classify(string file, ImageUse use, IReadOnlyDictionary<string, ArgValue> scope, IReadOnlyDictionary<string, int> stages)
    {
        var site = new ImageSite(file, use.Line, use.Kind, use.Text, ImageSiteState.Unpinned, Platform: LiteralPlatform(use.Platform));
        if (!use.Text.Contains('$'))
            return Literal(site, use.Text, use.Span, use.Line, use.Kind, stages);

        var whole = WholeVariablePattern().Match(use.Text);
        if (!whole.Success || whole.Groups["op"].Value.Contains('+'))
        {
            var expanded = Expand(use.Text, scope);
            if (expanded.Value is { Length: > 0 } value && ImageReference.TryParse(value, out var mixed, out _) && mixed.IsPinned)
                return site with { State = ImageSiteState.Pinned, Reference = mixed, Via = value };
            return site with
            {
                State = ImageSiteState.Unpinnable,
                Via = expanded.Value is { Length: > 0 } shown ? shown : null,
                Problem = $"'{use.Text}' mixes text and ARGs, so no digest can be written in place; " +
                          "make the whole reference one ARG (ARG BASE=name:tag, FROM ${BASE}) or write the reference out",
            };
        }

        var name = whole.Groups["name"].Value;
        var hasFallback = whole.Groups["fallback"].Success;
        if (scope.TryGetValue(name, out var arg) && arg.Declaration.Default is not null && !arg.Overridden && arg.Value is { Length: > 0 })
        {
            if (arg.Declaration.Default.Contains('$'))
                return site with
                {
                    State = ImageSiteState.Unpinnable,
                    Via = arg.Value,
                    Problem = $"ARG {name} (line {arg.Declaration.Line}) builds its default from other ARGs; write the reference out in its default",
                };
            var fromArg = Literal(site, arg.Declaration.Default, arg.Declaration.DefaultSpan, arg.Declaration.Line, use.Kind, stages);
            return fromArg with { Via = $"ARG {name}" };
        }
        if (arg is { Overridden: true })
        {
            var value = arg.Value ?? "";
            var overridden = Literal(site, value, null, use.Line, use.Kind, stages);
            if (overridden.State is ImageSiteState.NotAnImage or ImageSiteState.Pinned) return overridden with { Via = $"--build-arg {name}" };
            return overridden with
            {
                State = ImageSiteState.Unpinnable,
                EditSpan = null,
                Via = $"--build-arg {name}",
                Problem = $"ARG {name} is set by --build-arg to '{value}', which is not pinned; pass a reference with @sha256:…",
            };
        }
        if (hasFallback && whole.Groups["op"].Value.Contains('-'))
        {
            var fallback = whole.Groups["fallback"];
            var span = use.Span is { } s ? new TextSpan(s.Start + fallback.Index, fallback.Length) : (TextSpan?)null;
            return Literal(site, fallback.Value, span, use.Line, use.Kind, stages) with { Via = $"default of ${{{name}}}" };
        }
        return site with
        {
            State = ImageSiteState.Unpinnable,
            Problem = scope.ContainsKey(name)
                ? $"ARG {name} has no default, so there is nothing to pin; give it one (ARG {name}=name:tag) and pin it"
                : $"ARG {name} is not declared {(use.Kind == ImageUseKind.From ? "before the first FROM" : "in this stage")}; declare it with a default",
        };
    }

    private static ImageSite Literal(ImageSite site, string text, TextSpan? span, int line, ImageUseKind kind, IReadOnlyDictionary<string, int> stages)
    {
        if (kind == ImageUseKind.From && text.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            return site with { State = ImageSiteState.NotAnImage, Via = "scratch" };
        if (stages.ContainsKey(text) || (kind != ImageUseKind.From && text.All(char.IsAsciiDigit) && text.Length > 0))
            return site with { State = ImageSiteState.NotAnImage, Via = "stage" };
        if (!ImageReference.TryParse(text, out var reference, out var error))
            return site with { State = ImageSiteState.Unpinnable, EditLine = line, Problem = $"'{text}' is not an image reference: {error}" };
        if (span is null && !reference.IsPinned)
            return site with
            {
                State = ImageSiteState.Unpinnable, Reference = reference, EditLine = line,
                Problem = $"'{text}' is split across a line continuation; put it on one line",
            };
        return site with
        {
            State = reference.IsPinned ? ImageSiteState.Pinned : ImageSiteState.Unpinned,
            Reference = reference,
            EditSpan = span,
            EditLine = line,
        };
    }

    private static string? LiteralPlatform(string? platform) => platform is null || platform.Contains('$') ? null : platform;

    /// <summary>Expands $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}.</summary>
    private static (string? Value, bool Complete) Expand(string text, IReadOnlyDictionary<string, ArgValue> scope)
    {
        var complete = true;
        var result = VariablePattern().Replace(text, match =>
        {
            var name = match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["bare"].Value;
            var set = scope.TryGetValue(name, out var arg) && arg.Value is not null;
            var value = set ? arg!.Value! : "";
            if (!match.Groups["op"].Success)
            {
                if (!set) complete = false;
                return value;
            }
            var op = match.Groups["op"].Value;
            var word = match.Groups["word"].Value;
            var empty = op.StartsWith(':') ? value.Length == 0 : !set;
            return op.EndsWith('-') ? (empty ? word : value) : (empty ? "" : word);
        });
        return (result, complete);
    }

    [GeneratedRegex(@"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-+])(?<word>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^(?:\$(?<name>[A-Za-z_][A-Za-z0-9_]*)|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-+])(?<fallback>[^}$]*))?\})$")]
    private static partial Regex WholeVariablePattern();
}
