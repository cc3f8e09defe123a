using System.Text;
using System.Text.RegularExpressions;

namespace Vteam.Build.Containers;

/// <summary>
/// Parses a Dockerfile the way BuildKit reads it (directives, comments, continuations, heredocs), keeping
/// for every word its line and exact span, so a rewrite can change a reference and nothing else.
/// </summary>
internal static partial class DockerfileParser
{
    private static readonly HashSet<string> KnownDirectives = new(StringComparer.OrdinalIgnoreCase) { "syntax", "escape", "check" };
    private static readonly HashSet<string> HeredocInstructions = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };

    private readonly record struct PhysicalLine(int Number, int Start, int End)
    {
        public int Length => End - Start;
    }

    public static Dockerfile Parse(string path, string text)
    {
        var lines = SplitLines(text);
        var directives = new List<ParserDirective>();
        var escape = '\\';
        var index = 0;

        for (; index < lines.Count; index++)
        {
            var match = DirectivePattern().Match(text, lines[index].Start, lines[index].Length);
            if (!match.Success || !KnownDirectives.Contains(match.Groups[1].Value)) break;
            var name = match.Groups[1].Value.ToLowerInvariant();
            var value = match.Groups[2].Value;
            if (directives.Any(d => d.Name == name)) break;
            if (name == "escape")
            {
                if (value is not ("\\" or "`"))
                    throw new DockerfileException(path, lines[index].Number, $"the escape directive must be '\\' or '`', not '{value}'");
                escape = value[0];
            }
            directives.Add(new ParserDirective(name, value, lines[index].Number));
        }

        var instructions = new List<DockerfileInstruction>();
        while (index < lines.Count)
        {
            var line = lines[index];
            var content = text.AsSpan(line.Start, line.Length).TrimStart();
            if (content.IsEmpty || content[0] == '#') { index++; continue; }

            // Gather the logical line: each character with the offset it has in the file.
            var chars = new StringBuilder();
            var offsets = new List<int>();
            var first = line.Number;
            var last = line.Number;
            while (index < lines.Count)
            {
                var current = lines[index];
                var body = text.AsSpan(current.Start, current.Length);
                var trimmed = body.TrimStart();
                if (current.Number != first && (trimmed.IsEmpty || trimmed[0] == '#')) { index++; continue; }
                last = current.Number;
                var trimmedEnd = body.TrimEnd(" \t");
                var continues = trimmedEnd.Length > 0 && trimmedEnd[^1] == escape;
                var take = continues ? trimmedEnd.Length - 1 : body.Length;
                for (var i = 0; i < take; i++)
                {
                    chars.Append(body[i]);
                    offsets.Add(current.Start + i);
                }
                index++;
                if (!continues) break;
            }

            var words = SplitWords(chars.ToString(), offsets, text, lines);
            if (words.Count == 0) continue;
            var keyword = words[0].Text.ToUpperInvariant();
            var arguments = words.Skip(1).ToList();

            var heredocs = new List<Heredoc>();
            if (HeredocInstructions.Contains(keyword))
            {
                foreach (var word in arguments)
                foreach (Match heredoc in HeredocPattern().Matches(word.Text))
                {
                    var delimiter = heredoc.Groups[3].Value;
                    var stripTabs = heredoc.Groups[1].Value == "-";
                    var bodyStart = index < lines.Count ? lines[index].Number : last + 1;
                    var end = index;
                    while (end < lines.Count)
                    {
                        var candidate = text.AsSpan(lines[end].Start, lines[end].Length);
                        if (stripTabs) candidate = candidate.TrimStart('\t');
                        if (candidate.SequenceEqual(delimiter)) break;
                        end++;
                    }
                    if (end >= lines.Count)
                        throw new DockerfileException(path, word.Line, $"the heredoc <<{delimiter} is never closed: add a line holding only {delimiter}");
                    heredocs.Add(new Heredoc(delimiter, bodyStart, lines[end].Number));
                    last = lines[end].Number;
                    index = end + 1;
                }
            }

            instructions.Add(new DockerfileInstruction(keyword, first, last, arguments, heredocs));
        }

        return Analyse(path, text, escape, directives, instructions);
    }

    private static Dockerfile Analyse(string path, string text, char escape, List<ParserDirective> directives, List<DockerfileInstruction> instructions)
    {
        var stages = new List<DockerfileStage>();
        var args = new List<ArgDeclaration>();
        var uses = new List<ImageUse>();

        foreach (var instruction in instructions)
        {
            var stageIndex = stages.Count - 1;
            switch (instruction.Keyword)
            {
                case "FROM":
                {
                    var arguments = instruction.Arguments;
                    if (arguments.Count == 0)
                        throw new DockerfileException(path, instruction.Line, "FROM names no image: write FROM <image>[:tag] [AS <name>]");
                    if (arguments.Count is 2 or > 3 || (arguments.Count == 3 && !arguments[1].Text.Equals("AS", StringComparison.OrdinalIgnoreCase)))
                        throw new DockerfileException(path, instruction.Line, "FROM takes one image and an optional 'AS <name>'");
                    var platform = FlagValue(instruction, "platform")?.Text;
                    var name = arguments.Count == 3 ? arguments[2].Text : null;
                    var image = arguments[0];
                    stages.Add(new DockerfileStage(stages.Count, name, instruction));
                    uses.Add(new ImageUse(ImageUseKind.From, image.Line, image.Text, image.Span, platform, stages.Count - 1));
                    break;
                }
                case "ARG":
                    foreach (var word in instruction.Arguments)
                    {
                        var equals = word.Text.IndexOf('=');
                        if (equals < 0)
                        {
                            args.Add(new ArgDeclaration(word.Text, null, word.Line, null, stageIndex));
                            continue;
                        }
                        var value = word.Text[(equals + 1)..];
                        var valueOffset = equals + 1;
                        if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
                        {
                            value = value[1..^1];
                            valueOffset++;
                        }
                        args.Add(new ArgDeclaration(word.Text[..equals], value, word.Line, word.SubSpan(valueOffset, value.Length), stageIndex));
                    }
                    break;
                case "COPY":
                    if (FlagValue(instruction, "from") is { } from)
                        uses.Add(new ImageUse(ImageUseKind.CopyFrom, from.Line, from.Text, from.Span, null, stageIndex));
                    break;
                case "RUN":
                    foreach (var mount in instruction.Flags.Where(f => f.Text.StartsWith("--mount=", StringComparison.Ordinal)))
                    {
                        var offset = "--mount=".Length;
                        foreach (var field in mount.Text[offset..].Split(','))
                        {
                            if (field.StartsWith("from=", StringComparison.Ordinal))
                            {
                                var value = field["from=".Length..];
                                uses.Add(new ImageUse(ImageUseKind.MountFrom, mount.Line, value, mount.SubSpan(offset + "from=".Length, value.Length), null, stageIndex));
                            }
                            offset += field.Length + 1;
                        }
                    }
                    break;
            }
        }

        return new Dockerfile(path, text, escape, directives, instructions, stages, args, uses);
    }

    /// <summary>The value of <c>--name=value</c> as a word of its own (with its span).</summary>
    private static DockerfileWord? FlagValue(DockerfileInstruction instruction, string name)
    {
        var prefix = "--" + name + "=";
        var flag = instruction.Flags.FirstOrDefault(f => f.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        if (flag is null) return null;
        var value = flag.Text[prefix.Length..];
        return new DockerfileWord(value, flag.Line, flag.SubSpan(prefix.Length, value.Length));
    }

    // Words split on blanks outside quotes; each keeps the span it has in the file when it is contiguous.
    private static List<DockerfileWord> SplitWords(string logical, List<int> offsets, string text, List<PhysicalLine> lines)
    {
        var words = new List<DockerfileWord>();
        var i = 0;
        while (i < logical.Length)
        {
            while (i < logical.Length && logical[i] is ' ' or '\t') i++;
            if (i >= logical.Length) break;
            var start = i;
            char? quote = null;
            while (i < logical.Length && (quote is not null || logical[i] is not (' ' or '\t')))
            {
                if (quote is null && logical[i] is '"' or '\'') quote = logical[i];
                else if (quote == logical[i]) quote = null;
                i++;
            }
            var word = logical[start..i];
            var first = offsets[start];
            var lastOffset = offsets[i - 1];
            TextSpan? span = lastOffset - first == word.Length - 1 ? new TextSpan(first, word.Length) : null;
            words.Add(new DockerfileWord(word, LineOf(lines, first), span));
        }
        return words;
    }

    private static int LineOf(List<PhysicalLine> lines, int offset)
    {
        var low = 0;
        var high = lines.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (lines[middle].Start <= offset) low = middle; else high = middle - 1;
        }
        return lines[low].Number;
    }

    private static List<PhysicalLine> SplitLines(string text)
    {
        var lines = new List<PhysicalLine>();
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var number = 1;
        while (start <= text.Length)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                if (start < text.Length) lines.Add(new PhysicalLine(number, start, text.Length));
                break;
            }
            var end = newline > start && text[newline - 1] == '\r' ? newline - 1 : newline;
            lines.Add(new PhysicalLine(number++, start, end));
            start = newline + 1;
        }
        return lines;
    }

    [GeneratedRegex(@"^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(\S+)[ \t]*$")]
    private static partial Regex DirectivePattern();

    // <<EOF, <<-EOF, <<"EOF", <<'EOF'; not the here-string <<<.
    [GeneratedRegex(@"(?<!<)<<(-?)([""']?)([A-Za-z0-9_]+)\2")]
    private static partial Regex HeredocPattern();
}

/// <summary>A Dockerfile that cannot be read: names the file, the line and what to change.</summary>
public sealed class DockerfileException(string file, int line, string problem)
    : Exception($"{file}:{line}: {problem}.")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}
