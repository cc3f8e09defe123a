using System.Globalization;

namespace Vteam.Build.Policy.Manifests;

/// <summary>
/// A CronJob schedule (five fields, names, ranges, steps, the @ macros and @every) reduced to the one
/// question the rotation rule asks: the longest time between two runs.
/// </summary>
public sealed class CronSchedule
{
    private readonly bool[] _minutes, _hours, _days, _months, _weekdays;
    private readonly bool _dayRestricted, _weekdayRestricted;
    private readonly TimeSpan? _every;

    private CronSchedule(bool[] minutes, bool[] hours, bool[] days, bool[] months, bool[] weekdays, bool dayRestricted, bool weekdayRestricted)
    {
        (_minutes, _hours, _days, _months, _weekdays) = (minutes, hours, days, months, weekdays);
        (_dayRestricted, _weekdayRestricted) = (dayRestricted, weekdayRestricted);
    }

    private CronSchedule(TimeSpan every) : this([], [], [], [], [], false, false) => _every = every;

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static bool TryParse(string? text, out CronSchedule schedule, out string error)
    {
        schedule = null!;
        error = "";
        var s = (text ?? "").Trim();
        // A time zone prefix changes when, not how often.
        if (s.StartsWith("TZ=", StringComparison.Ordinal) || s.StartsWith("CRON_TZ=", StringComparison.Ordinal))
            s = s[(s.IndexOf(' ') is var space and > 0 ? space + 1 : s.Length)..].Trim();
        if (s.StartsWith("@every ", StringComparison.Ordinal))
        {
            if (!GoDuration.TryParse(s[7..], out var every) || every <= TimeSpan.Zero) { error = "@every needs a positive duration"; return false; }
            schedule = new CronSchedule(every);
            return true;
        }
        s = s switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ => s,
        };
        var fields = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5) { error = $"expected five fields (minute hour day-of-month month day-of-week), found {fields.Length}"; return false; }
        try
        {
            var days = Field(fields[2], 1, 31, null, "day of month");
            var weekdays = Field(fields[4], 0, 7, DayNames, "day of week");
            if (weekdays[7]) weekdays[0] = true;
            schedule = new CronSchedule(
                Field(fields[0], 0, 59, null, "minute"), Field(fields[1], 0, 23, null, "hour"), days,
                Field(fields[3], 1, 12, MonthNames, "month"), weekdays,
                !IsStar(fields[2]), !IsStar(fields[4]));
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static bool IsStar(string field) => field is "*" or "?" || field.StartsWith("*/1", StringComparison.Ordinal) && field.Length == 3;

    private static bool[] Field(string field, int min, int max, string[]? names, string what)
    {
        var set = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var st] when int.TryParse(st, out var n) && n > 0 => (r, n),
                _ => throw new FormatException($"'{part}' is not a valid {what}"),
            };
            int from, to;
            if (range is "*" or "?") (from, to) = (min, max == 7 ? 6 : max);
            else if (range.Split('-') is [var a, var b]) (from, to) = (Value(a, min, names, what), Value(b, min, names, what));
            else (from, to) = (Value(range, min, names, what), part.Contains('/') ? (max == 7 ? 6 : max) : Value(range, min, names, what));
            if (from < min || to > max || from > to) throw new FormatException($"'{part}' is outside the {what} range {min}-{max}");
            for (var v = from; v <= to; v += step) set[v] = true;
        }
        return set;
    }

    private static int Value(string text, int min, string[]? names, string what)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        var index = names is null ? -1 : Array.IndexOf(names, text.ToUpperInvariant());
        if (index < 0) throw new FormatException($"'{text}' is not a valid {what}");
        return index + min;
    }

    private bool FiresOn(DateOnly date)
    {
        if (!_months[date.Month]) return false;
        bool day = _days[date.Day], weekday = _weekdays[(int)date.DayOfWeek];
        // Cron's rule: with both day fields restricted, either one matching is enough.
        return _dayRestricted && _weekdayRestricted ? day || weekday
            : _dayRestricted ? day
            : !_weekdayRestricted || weekday;
    }

    /// <summary>
    /// The longest gap between two runs, in days, over four calendar years (2027–2030, one leap year);
    /// null when it never runs, the whole span when it runs only once in it.
    /// </summary>
    public double? LongestGapDays()
    {
        if (_every is { } every) return every.TotalDays;
        if (!_minutes.Any(m => m) || !_hours.Any(h => h)) return null;
        var start = new DateOnly(2027, 1, 1);
        var span = new DateOnly(2031, 1, 1).DayNumber - start.DayNumber;
        var fires = Enumerable.Range(0, span).Where(i => FiresOn(start.AddDays(i))).ToArray();
        return fires.Length switch
        {
            0 => null,
            1 => span,
            _ => fires.Zip(fires.Skip(1), (a, b) => b - a).Max(),
        };
    }

    public bool RunsAtLeastMonthly => LongestGapDays() is <= 31;
}
