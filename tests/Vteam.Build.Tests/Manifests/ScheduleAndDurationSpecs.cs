using Vteam.Build.Policy.Manifests;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

public class ScheduleAndDurationSpecs
{
    [Theory]
    [InlineData("17 3 * * 1", 7)]
    [InlineData("@weekly", 7)]
    [InlineData("@daily", 1)]
    [InlineData("0 0 1 * *", 31)]
    [InlineData("@monthly", 31)]
    [InlineData("0 0 15 * *", 31)]
    [InlineData("0 0 1,15 * *", 17)]
    [InlineData("0 0 * * MON-FRI", 3)]
    [InlineData("CRON_TZ=Europe/Berlin 0 2 * * SUN", 7)]
    [InlineData("0 0 31 * *", 61)]
    [InlineData("0 4 1 */2 *", 62)]
    [InlineData("@yearly", 366)]
    [InlineData("0 0 29 2 *", 1461)]
    public void I_can_tell_the_longest_gap_between_runs(string schedule, double days)
    {
        Assert.True(CronSchedule.TryParse(schedule, out var parsed, out var error), error);

        Assert.Equal(days, parsed.LongestGapDays());
    }

    [Fact]
    public void With_both_day_fields_restricted_either_one_fires_as_cron_does()
    {
        // The 31st, or any Monday: never more than a week apart.
        Assert.True(CronSchedule.TryParse("0 0 31 * 1", out var parsed, out _));

        Assert.True(parsed.RunsAtLeastMonthly);
        Assert.True(parsed.LongestGapDays() <= 7);
    }

    [Theory]
    [InlineData("* * *")]
    [InlineData("0 0 32 * *")]
    [InlineData("0 0 * FOO *")]
    [InlineData("@every nope")]
    public void A_schedule_I_cannot_read_is_refused_with_a_reason(string schedule)
    {
        Assert.False(CronSchedule.TryParse(schedule, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("1h", 60)]
    [InlineData("24h0m0s", 1440)]
    [InlineData("90m", 90)]
    [InlineData("1.5h", 90)]
    [InlineData("168h", 10080)]
    [InlineData("0", 0)]
    public void I_can_read_a_Go_duration(string text, double minutes)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(minutes, duration.TotalMinutes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("10")]
    public void Not_a_Go_duration(string text) => Assert.False(GoDuration.TryParse(text, out _));
}
