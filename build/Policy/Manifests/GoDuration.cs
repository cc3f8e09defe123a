using System.Globalization;
using System.Text.RegularExpressions;

namespace Vteam.Build.Policy.Manifests;

/// <summary>Go's time.ParseDuration syntax ("1h", "24h0m0s", "90m", "1.5h"), which Kubernetes CRDs use.</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"\G(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (s[0] is '-' or '+') s = s[1..];
        if (s == "0") return true;
        var position = 0;
        double ticks = 0;
        while (position < s.Length)
        {
            var match = Part().Match(s, position);
            if (!match.Success) return false;
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += value * match.Groups[2].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
            position += match.Length;
        }
        if (position == 0) return false;
        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    public static string Format(TimeSpan duration)
        => duration.TotalHours >= 1 && duration.Minutes == 0 && duration.Seconds == 0 ? $"{(long)duration.TotalHours}h" : duration.ToString("c", CultureInfo.InvariantCulture);
}
