using System.Security.Cryptography;
using System.Text;

namespace Vteam.Build.Release;

/// <summary>
/// SHA256SUMS in the format of GNU <c>sha256sum</c> (<c>&lt;hex&gt;  &lt;name&gt;</c>, one line per file,
/// sorted by name), so users check a download with <c>sha256sum -c --ignore-missing SHA256SUMS</c>.
/// </summary>
public static class Checksums
{
    public const string FileName = "SHA256SUMS";
    public const string BundleFileName = "SHA256SUMS.sigstore.json";

    public static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsSha256Hex(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);

    /// <summary>The checksum file over <paramref name="assets"/>, sorted by name so the same inputs give the same bytes.</summary>
    public static string Render(IEnumerable<LocalAsset> assets)
    {
        var text = new StringBuilder();
        foreach (var asset in assets.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (asset.Name.IndexOfAny(['\n', '\r', '\\']) >= 0)
                throw new ArgumentException($"The asset name '{asset.Name}' cannot be written to {FileName}: rename it without line breaks or backslashes.");
            text.Append(asset.Sha256.ToLowerInvariant()).Append("  ").Append(asset.Name).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Name → sha256 from a checksum file; text (<c>"  "</c>) and binary (<c>" *"</c>) lines, blank lines skipped.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string content, string source = FileName)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = content.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            if (line.Length < 67 || !IsSha256Hex(line[..64]) || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
                throw new FormatException($"{source}:{i + 1}: not a sha256sum line ('<64 hex digits>  <name>'). Regenerate it with ChecksumRelease.");
            var name = line[66..];
            if (!sums.TryAdd(name, line[..64].ToLowerInvariant()))
                throw new FormatException($"{source}:{i + 1}: '{name}' is listed twice. Regenerate it with ChecksumRelease.");
        }
        return sums;
    }
}
