using System.Text;

namespace Vteam.Build.Containers.Build;

/// <summary>Go's path.Clean and path.Dir on '/'-separated paths, which Docker applies to ignore patterns.</summary>
internal static class GoPath
{
    public static string Clean(string path)
    {
        if (path.Length == 0) return ".";
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return Clean(slash < 0 ? "" : path[..(slash + 1)]);
    }
}

/// <summary>The syntax check of Go's filepath.Match, which Docker runs on every ignore pattern.</summary>
internal static class GoGlob
{
    /// <returns>null when the pattern is valid, else why not.</returns>
    public static string? Validate(string pattern)
    {
        var runes = pattern.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var c = runes[i].Value;
            if (c == '\\')
            {
                if (++i >= runes.Length) return "a '\\' at the end escapes nothing";
            }
            else if (c == '[')
            {
                i++;
                if (i < runes.Length && runes[i].Value == '^') i++;
                var first = true;
                while (true)
                {
                    if (i >= runes.Length) return "a '[' has no closing ']'";
                    if (runes[i].Value == ']' && !first) break;
                    if (!ReadClassChar(runes, ref i, out var lo, out var error)) return error;
                    if (i < runes.Length && runes[i].Value == '-')
                    {
                        i++;
                        if (!ReadClassChar(runes, ref i, out var hi, out error)) return error;
                        if (hi < lo) return $"the range {char.ConvertFromUtf32(lo)}-{char.ConvertFromUtf32(hi)} runs backwards";
                    }
                    first = false;
                }
            }
        }
        return null;
    }

    private static bool ReadClassChar(Rune[] runes, ref int i, out int value, out string? error)
    {
        value = 0;
        error = null;
        if (i >= runes.Length) { error = "a '[' has no closing ']'"; return false; }
        var c = runes[i].Value;
        if (c is '-' or ']') { error = $"'{(char)c}' must be escaped inside [...]"; return false; }
        if (c == '\\')
        {
            i++;
            if (i >= runes.Length) { error = "a '\\' at the end escapes nothing"; return false; }
            c = runes[i].Value;
        }
        value = c;
        i++;
        return true;
    }
}
