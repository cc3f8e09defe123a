using Xunit;

namespace Vteam.Build.Tests.Manifests;

/// <summary>
/// One change that breaks one rule in a copy of the shipped manifests, and where the finding must
/// point: the line marked with » in <see cref="ExpectedAnchor"/> (text that is unique in the expected file after the change).
/// </summary>
internal sealed record ManifestMutation(string Name, string RuleId, string File, Func<string, string> Change, string ExpectedFile, string ExpectedAnchor)
{
    public const char Marker = '»';

    public static ManifestMutation Replace(string rule, string name, string file, string find, string replace, string anchor, string? expectedFile = null)
        => new($"{rule} {name}", rule, file, text => ReplaceOnce(text, find, replace, file), expectedFile ?? file, anchor);

    /// <summary>Several replacements in one file, each of text found exactly once.</summary>
    public static ManifestMutation ReplaceEach(string rule, string name, string file, (string Find, string Replace)[] changes, string anchor)
        => new($"{rule} {name}", rule, file, text => changes.Aggregate(text, (t, c) => ReplaceOnce(t, c.Find, c.Replace, file)), file, anchor);

    public static ManifestMutation Append(string rule, string name, string file, string document, string anchor)
        => new($"{rule} {name}", rule, file, text => text.TrimEnd('\n') + "\n---\n" + document, file, anchor);

    /// <summary>Deletes the YAML document (between --- lines) holding <paramref name="inDocument"/>.</summary>
    public static ManifestMutation RemoveDocument(string rule, string name, string file, string inDocument, string expectedFile, string anchor)
        => new($"{rule} {name}", rule, file, text =>
        {
            var documents = text.Split("\n---\n").ToList();
            var index = documents.FindIndex(d => d.Contains(inDocument, StringComparison.Ordinal));
            Assert.True(index >= 0, $"No document of {file} contains '{inDocument}'.");
            documents.RemoveAt(index);
            return string.Join("\n---\n", documents);
        }, expectedFile, anchor);

    public override string ToString() => Name;

    /// <summary>The 1-based line of the marker in the text, which must hold the anchor exactly once.</summary>
    public static int LineOf(string text, string anchor, string file)
    {
        var marker = anchor.IndexOf(Marker);
        Assert.True(marker >= 0, $"The anchor '{anchor}' has no {Marker} marker.");
        var plain = anchor.Remove(marker, 1);
        var at = text.IndexOf(plain, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{plain}' is not in {file}.");
        Assert.True(text.IndexOf(plain, at + 1, StringComparison.Ordinal) < 0, $"'{plain}' is in {file} more than once; make the anchor longer.");
        return text[..(at + marker)].Count(c => c == '\n') + 1;
    }

    private static string ReplaceOnce(string text, string find, string replace, string file)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in {file}: the mutation no longer fits the shipped manifest.");
        Assert.True(text.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' is in {file} more than once; make it longer.");
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
