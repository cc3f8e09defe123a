using System.Text;
using System.Text.RegularExpressions;

namespace Vteam.Build.Containers.Build;

/// <summary>One instruction of a Dockerfile with the line it starts on.</summary>
public sealed record DockerfileInstruction(int Line, string Keyword, string Arguments)
{
    public override string ToString() => $"{Keyword} {Arguments}";
}

/// <summary>A FROM line's image after ARG expansion; stage references and scratch are not base images.</summary>
public sealed record BaseImageReference(int Line, string Reference, string? Stage)
{
    public bool Pinned => Reference.Contains("@sha256:", StringComparison.Ordinal);
    public string? Digest => Pinned ? Reference[(Reference.IndexOf('@') + 1)..] : null;
}

/// <summary>
/// The instructions of a Dockerfile as the classic builder numbers its steps (every instruction after the
/// first FROM, in file order), and the base images its FROM lines name. Enough to point a failing step at
/// its line and to check pins; rewriting Dockerfiles is the pinning stage's business.
/// </summary>
public sealed partial class DockerfileSteps
{
    private DockerfileSteps(string path, string text, char escape, IReadOnlyList<DockerfileInstruction> all)
    {
        Path = path;
        Text = text;
        Escape = escape;
        All = all;
    }

    public string Path { get; }
    public string Text { get; }
    /// <summary>The escape character (\ or ` from the escape parser directive).</summary>
    public char Escape { get; }
    public IReadOnlyList<DockerfileInstruction> All { get; }

    public static DockerfileSteps Load(string path) => Parse(File.ReadAllText(path), path);

    public static DockerfileSteps Parse(string text, string path = "Dockerfile")
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var escape = '\\';
        var instructions = new List<DockerfileInstruction>();
        var directives = true;
        var current = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (directives)
            {
                var directive = EscapeDirective().Match(line);
                if (directive.Success) { escape = directive.Groups[1].Value[0]; continue; }
                if (!ParserDirective().IsMatch(line)) directives = false;
            }
            if (trimmed.StartsWith('#')) continue;
            if (current.Length == 0 && trimmed.Length == 0) continue;
            if (current.Length == 0) start = i + 1;

            var body = line.TrimEnd();
            var continues = body.EndsWith(escape);
            current.Append(continues ? body[..^1] : body);
            if (continues) { current.Append(' '); continue; }

            Add(current.ToString(), start, instructions);
            current.Clear();
        }
        if (current.Length > 0) Add(current.ToString(), start, instructions);
        return new DockerfileSteps(path, text, escape, instructions);
    }

    /// <summary>The instructions the builder counts as steps, for the stages up to <paramref name="target"/>.</summary>
    public IReadOnlyList<DockerfileInstruction> Steps(string? target = null)
    {
        var steps = All.SkipWhile(i => i.Keyword != "FROM").ToList();
        if (target is null) return steps;
        var stageStarts = steps.Select((s, index) => (s, index)).Where(x => x.s.Keyword == "FROM").ToList();
        for (var k = 0; k < stageStarts.Count; k++)
        {
            if (!string.Equals(StageName(stageStarts[k].s), target, StringComparison.OrdinalIgnoreCase)) continue;
            var end = k + 1 < stageStarts.Count ? stageStarts[k + 1].index : steps.Count;
            return steps.Take(end).ToList();
        }
        throw new InvalidOperationException($"{Path}: there is no stage named '{target}' (FROM … AS {target}). Fix 'target' in component.yaml.");
    }

    /// <summary>The instruction of step <paramref name="step"/> (1-based); null for a step the builder added (labels).</summary>
    public DockerfileInstruction? Step(int step, string? target = null)
    {
        var steps = Steps(target);
        return step >= 1 && step <= steps.Count ? steps[step - 1] : null;
    }

    /// <summary>
    /// The Dockerfile with the labels in one LABEL instruction at the end of the stage that is built (the
    /// target, else the last). The engine's labels parameter would add one step, with a container and a
    /// commit, per label. Values are quoted and '$' escaped, so nothing in them is expanded.
    /// </summary>
    public string WithLabels(IReadOnlyDictionary<string, string> labels, string? target = null)
    {
        if (labels.Count == 0) return Text;
        var e = Escape.ToString();
        string Quote(string value) => "\"" + value.Replace(e, e + e).Replace("\"", e + "\"").Replace("$", e + "$").Replace("\n", " ").Replace("\r", "") + "\"";
        var label = "LABEL " + string.Join(" ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{Quote(l.Key)}={Quote(l.Value)}"));

        var steps = Steps(target);
        var next = target is null ? null : All.SkipWhile(i => i.Keyword != "FROM").Skip(steps.Count).FirstOrDefault(i => i.Keyword == "FROM");
        var lines = Text.Replace("\r\n", "\n").Split('\n').ToList();
        if (next is null)
        {
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            lines.Add(label);
            lines.Add("");
        }
        else lines.Insert(next.Line - 1, label);
        return string.Join('\n', lines);
    }

    /// <summary>The base images of the FROM lines, with ARG defaults before the first FROM and the given build args applied.</summary>
    public IReadOnlyList<BaseImageReference> BaseImages(IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in All.TakeWhile(i => i.Keyword != "FROM").Where(i => i.Keyword == "ARG"))
        {
            var eq = arg.Arguments.IndexOf('=');
            var name = (eq < 0 ? arg.Arguments : arg.Arguments[..eq]).Trim();
            var value = eq < 0 ? null : Unquote(arg.Arguments[(eq + 1)..].Trim());
            if (buildArgs is not null && buildArgs.TryGetValue(name, out var given)) value = given;
            if (value is not null) meta[name] = value;
        }

        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<BaseImageReference>();
        foreach (var from in All.Where(i => i.Keyword == "FROM"))
        {
            var words = from.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            if (words.Count == 0) throw new FormatException($"{Path}:{from.Line}: FROM names no image. Write FROM <image>@sha256:<digest>.");
            var image = Expand(words[0], meta);
            var stage = StageName(from);
            if (!stages.Contains(image) && !string.Equals(image, "scratch", StringComparison.OrdinalIgnoreCase))
                result.Add(new BaseImageReference(from.Line, image, stage));
            if (stage is not null) stages.Add(stage);
        }
        return result;
    }

    private static string? StageName(DockerfileInstruction from)
    {
        var words = from.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        return words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
    }

    private static void Add(string text, int line, List<DockerfileInstruction> into)
    {
        text = text.Trim();
        if (text.Length == 0) return;
        var space = text.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arguments = space < 0 ? "" : Whitespace().Replace(text[(space + 1)..].Trim(), " ");
        into.Add(new DockerfileInstruction(line, keyword, arguments));
    }

    private static string Expand(string value, IReadOnlyDictionary<string, string> args)
        => Variable().Replace(value, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            var found = args.TryGetValue(name, out var v) ? v : null;
            if (m.Groups["op"].Success)
            {
                var word = m.Groups["word"].Value;
                return m.Groups["op"].Value == ":-" ? (string.IsNullOrEmpty(found) ? word : found) : (string.IsNullOrEmpty(found) ? "" : word);
            }
            return found ?? "";
        });

    private static string Unquote(string value)
        => value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;

    [GeneratedRegex(@"^\s*#\s*escape\s*=\s*([\\`])\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EscapeDirective();

    [GeneratedRegex(@"^\s*#\s*[a-zA-Z][a-zA-Z0-9]*\s*=")]
    private static partial Regex ParserDirective();

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:[-+])(?<word>[^}]*))?\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
