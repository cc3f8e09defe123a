using System.Text;
using System.Text.RegularExpressions;

namespace Vteam.Build.Containers.Build;

/// <summary>
/// The patterns of a .dockerignore file with the Docker CLI's semantics: lines are trimmed, <c>#</c> in
/// column one is a comment, <c>!</c> makes an exception, patterns are cleaned like Go's filepath.Clean and a
/// leading <c>/</c> is dropped; a pattern matches a path or any of its parent directories, and the last
/// matching pattern decides. The glob is Go's filepath.Match plus <c>**</c>.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<DockerIgnorePattern> _patterns;

    private DockerIgnore(IReadOnlyList<DockerIgnorePattern> patterns) => _patterns = patterns;

    public static DockerIgnore Empty { get; } = new([]);

    public IReadOnlyList<DockerIgnorePattern> Patterns => _patterns;
    public bool HasExceptions => _patterns.Any(p => p.IsException);

    /// <summary>Reads a .dockerignore file; a missing file ignores nothing.</summary>
    public static DockerIgnore Load(string path)
        => File.Exists(path) ? Parse(File.ReadAllText(path), path) : Empty;

    /// <param name="source">The file name used in error messages.</param>
    public static DockerIgnore Parse(string text, string source = ".dockerignore")
    {
        var patterns = new List<DockerIgnorePattern>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (i == 0) line = line.TrimStart('\uFEFF');
            if (line.StartsWith('#')) continue;
            line = line.Trim();
            if (line.Length == 0) continue;

            var exception = line[0] == '!';
            if (exception) line = line[1..].Trim();
            if (line.Length > 0)
            {
                line = GoPath.Clean(line);
                if (line.Length > 1 && line[0] == '/') line = line[1..];
            }
            if (exception && line.Length == 0)
                throw new FormatException($"{source}:{i + 1}: '!' alone is not a pattern. Write the path to re-include after it (e.g. '!README.md') or delete the line.");

            // The pattern matcher cleans once more (a second Clean can still shorten "/.." to "/").
            line = GoPath.Clean(line);
            var error = GoGlob.Validate(line);
            if (error is not null)
                throw new FormatException($"{source}:{i + 1}: '{lines[i].Trim()}' is not a valid pattern ({error}). Fix the pattern; see https://docs.docker.com/build/concepts/context/#dockerignore-files.");
            patterns.Add(new DockerIgnorePattern(line, exception, i + 1));
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>Appends exceptions so that the given paths are always sent, as the CLI does for the Dockerfile and .dockerignore.</summary>
    public DockerIgnore Keeping(params string[] paths)
    {
        var patterns = _patterns.ToList();
        foreach (var path in paths)
        {
            var current = new DockerIgnore(patterns);
            if (current.Excludes(path)) patterns.Add(new DockerIgnorePattern(GoPath.Clean(path), true, 0));
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>Whether a path (relative to the context, '/'-separated) is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var path = GoPath.Clean(relativePath.Replace('\\', '/'));
        if (path == ".") return false;
        var parent = GoPath.Dir(path);
        var parents = parent == "." ? [] : parent.Split('/');

        var excluded = false;
        foreach (var pattern in _patterns)
        {
            // Skip what cannot change the verdict: an exclusion once excluded, an exception while included.
            if (pattern.IsException != excluded) continue;
            var match = pattern.Matches(path);
            for (var i = 0; !match && i < parents.Length; i++)
                match = pattern.Matches(string.Join('/', parents, 0, i + 1));
            if (match) excluded = !pattern.IsException;
        }
        return excluded;
    }

    /// <summary>
    /// Whether an excluded directory can be skipped whole: Docker descends into it only when an exception
    /// pattern's text starts with the directory's path (e.g. <c>!dir/keep</c> for <c>dir</c>).
    /// </summary>
    public bool CanSkipExcludedDirectory(string relativeDirectory)
    {
        if (!HasExceptions) return true;
        var prefix = GoPath.Clean(relativeDirectory.Replace('\\', '/')) + "/";
        return !_patterns.Any(p => p.IsException && (p.Pattern + "/").StartsWith(prefix, StringComparison.Ordinal));
    }
}

/// <summary>One line of a .dockerignore file, cleaned, with the way Docker matches it.</summary>
public sealed class DockerIgnorePattern
{
    private enum Kind { Exact, Prefix, Suffix, Regex }

    private readonly Kind _kind;
    private readonly Regex? _regex;

    public DockerIgnorePattern(string pattern, bool isException, int line)
    {
        Pattern = pattern;
        IsException = isException;
        Line = line;
        (_kind, _regex) = Compile(pattern);
    }

    public string Pattern { get; }
    public bool IsException { get; }
    /// <summary>The line in .dockerignore; 0 for an exception added by the build.</summary>
    public int Line { get; }

    public bool Matches(string path) => _kind switch
    {
        Kind.Exact => path == Pattern,
        Kind.Prefix => path.StartsWith(Pattern[..^2], StringComparison.Ordinal),
        Kind.Suffix => path.EndsWith(Pattern[2..], StringComparison.Ordinal)
                       || (Pattern.Length > 2 && Pattern[2] == '/' && path == Pattern[3..]),
        _ => _regex!.IsMatch(path),
    };

    public override string ToString() => (IsException ? "!" : "") + Pattern;

    // Docker decides how to match from the pattern's shape: plain text matches exactly, a trailing "**"
    // by prefix, a leading "**" followed only by plain text by suffix, anything else by a regular expression.
    private static (Kind, Regex?) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = Kind.Exact;
        var runes = pattern.EnumerateRunes().Select(r => r.ToString()).ToArray();
        for (int i = 0, token = 0; i < runes.Length; i++, token++)
        {
            var ch = runes[i];
            if (ch == "*")
            {
                if (i + 1 < runes.Length && runes[i + 1] == "*")
                {
                    i++;
                    if (i + 1 < runes.Length && runes[i + 1] == "/") i++;
                    if (i + 1 >= runes.Length)
                    {
                        if (kind == Kind.Exact) kind = Kind.Prefix;
                        else { regex.Append(".*"); kind = Kind.Regex; }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        kind = Kind.Regex;
                    }
                    if (token == 0) kind = Kind.Suffix;
                }
                else
                {
                    regex.Append("[^/]*");
                    kind = Kind.Regex;
                }
            }
            else if (ch == "?")
            {
                regex.Append("[^/]");
                kind = Kind.Regex;
            }
            else if (ch == "\\")
            {
                if (i + 1 < runes.Length)
                {
                    regex.Append(Regex.Escape(runes[++i]));
                    kind = Kind.Regex;
                }
                else regex.Append(@"\\");
            }
            else if (ch is "[" or "]")
            {
                regex.Append(ch);
                kind = Kind.Regex;
            }
            else if (ch == "^")
            {
                // Only meaningful as a class negation, where it is passed through.
                regex.Append(InClass(runes, i) ? "^" : @"\^");
            }
            else
            {
                regex.Append(ch.Length == 1 && !char.IsLetterOrDigit(ch[0]) && ch != "/" && ch != "-" ? Regex.Escape(ch) : ch);
            }
        }
        if (kind != Kind.Regex) return (kind, null);
        regex.Append('$');
        return (kind, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    private static bool InClass(string[] runes, int index)
    {
        var open = false;
        for (var i = 0; i < index; i++)
        {
            if (runes[i] == "\\") { i++; continue; }
            if (runes[i] == "[" && !open) open = true;
            else if (runes[i] == "]" && open) open = false;
        }
        return open;
    }
}
