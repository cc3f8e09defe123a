using System.Text.RegularExpressions;

namespace Vteam.Build.Tools;

/// <summary>A tool's x.y.z version, read from whatever its version command prints.</summary>
public readonly partial record struct ToolVersion(int Major, int Minor, int Patch) : IComparable<ToolVersion>
{
    public static bool TryParse(string? text, out ToolVersion version)
    {
        version = default;
        if (text is null) return false;
        var match = SemVer().Match(text);
        if (!match.Success) return false;
        version = new ToolVersion(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
        return true;
    }

    public static ToolVersion Parse(string text)
        => TryParse(text, out var version) ? version : throw new FormatException($"'{text}' holds no x.y.z version.");

    /// <summary>Finds the version in a version command's output (trivy JSON, "trufflehog 3.97.0", "GitVersion: v3.1.2").</summary>
    public static bool TryFind(string output, out ToolVersion version) => TryParse(output, out version);

    public int CompareTo(ToolVersion other)
        => Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    public static bool operator <(ToolVersion a, ToolVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ToolVersion a, ToolVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ToolVersion a, ToolVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ToolVersion a, ToolVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    [GeneratedRegex(@"v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex SemVer();
}
