using System.Globalization;

namespace DeviceCommands.Client.Tests.Waiting;

public sealed class WaitScheduleTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1500)]
    [InlineData(3, 2250)]
    [InlineData(4, 3375)]
    [InlineData(9, 25629)]
    [InlineData(10, 30000)]
    [InlineData(11, 30000)]
    public void The_base_delay_grows_by_one_and_a_half_to_the_cap(int poll, int expectedMs) =>
        Assert.Equal(expectedMs, WaitSchedule.BaseDelay(poll, Initial, Max).TotalMilliseconds, 0);

    [Fact]
    public void Poll_numbers_below_one_read_as_the_first()
    {
        Assert.Equal(Initial, WaitSchedule.BaseDelay(0, Initial, Max));
        Assert.Equal(Initial, WaitSchedule.BaseDelay(int.MinValue, Initial, Max));
    }

    [Theory]
    [InlineData(0.0, 800)]
    [InlineData(0.5, 1000)]
    [InlineData(1.0, 1200)]
    public void Jitter_spans_eighty_to_one_hundred_twenty_percent(double sample, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WaitSchedule.Delay(1, Initial, Max, sample));

    [Fact]
    public void Jitter_bounds_hold_for_every_poll_and_seed()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            for (var poll = 1; poll < 40; poll++)
            {
                var sample = WaitSchedule.Sample(seed, poll);
                Assert.InRange(sample, 0.0, 1.0);
                var baseDelay = WaitSchedule.BaseDelay(poll, Initial, Max);
                var delay = WaitSchedule.Delay(poll, Initial, Max, sample);
                Assert.InRange(delay, baseDelay * 0.8 - TimeSpan.FromMilliseconds(1), Max);
                Assert.True(delay <= baseDelay * 1.2 + TimeSpan.FromMilliseconds(1));
                Assert.Equal(0, delay.Ticks % TimeSpan.TicksPerMillisecond);
            }
        }
    }

    [Fact]
    public void Out_of_range_samples_are_clamped()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(800), WaitSchedule.Delay(1, Initial, Max, -5));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), WaitSchedule.Delay(1, Initial, Max, 7));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), WaitSchedule.Delay(1, Initial, Max, double.NaN));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(1_000_000)]
    [InlineData(int.MaxValue)]
    public void Very_high_poll_counts_stay_at_the_cap_without_overflow(int poll)
    {
        Assert.Equal(Max, WaitSchedule.BaseDelay(poll, Initial, Max));
        Assert.InRange(WaitSchedule.Delay(poll, Initial, Max, 0.0), Max * 0.8, Max);
        Assert.Equal(Max, WaitSchedule.Delay(poll, Initial, Max, 1.0));
    }

    [Fact]
    public void Extreme_delays_do_not_overflow()
    {
        var tiny = TimeSpan.FromTicks(1);
        Assert.Equal(TimeSpan.MaxValue, WaitSchedule.BaseDelay(1_000_000, tiny, TimeSpan.MaxValue));
        Assert.Equal(TimeSpan.MaxValue, WaitSchedule.Delay(1_000_000, tiny, TimeSpan.MaxValue, 1.0));
        Assert.InRange(WaitSchedule.Delay(1_000_000, tiny, TimeSpan.MaxValue, 0.0), TimeSpan.Zero, TimeSpan.MaxValue);
        Assert.Equal(TimeSpan.MaxValue, WaitSchedule.Delay(1, TimeSpan.MaxValue, TimeSpan.MaxValue, 1.0));
    }

    [Fact]
    public void Delays_never_decrease_before_jitter_and_are_never_negative()
    {
        var previous = TimeSpan.Zero;
        for (var poll = 1; poll < 300; poll++)
        {
            var delay = WaitSchedule.BaseDelay(poll, TimeSpan.FromMilliseconds(3), TimeSpan.FromHours(1));
            Assert.True(delay >= previous);
            Assert.True(WaitSchedule.Delay(poll, TimeSpan.FromMilliseconds(3), TimeSpan.FromHours(1), 0) >= TimeSpan.Zero);
            previous = delay;
        }
    }

    [Fact]
    public void A_seed_makes_the_jitter_a_pure_function_of_seed_and_poll()
    {
        Assert.Equal(WaitSchedule.Sample(7, 3), WaitSchedule.Sample(7, 3));
        Assert.NotEqual(WaitSchedule.Sample(7, 3), WaitSchedule.Sample(7, 4));
        Assert.NotEqual(WaitSchedule.Sample(7, 3), WaitSchedule.Sample(8, 3));
    }

    [Fact]
    public void Seeded_samples_spread_over_the_unit_interval()
    {
        var samples = Enumerable.Range(1, 2000).Select(p => WaitSchedule.Sample(123, p)).ToList();
        Assert.All(samples, s => Assert.InRange(s, 0.0, 1.0));
        Assert.InRange(samples.Average(), 0.45, 0.55);
        Assert.True(samples.Min() < 0.05 && samples.Max() > 0.95);
    }

    [Fact]
    public void Waits_started_together_do_not_poll_in_lock_step()
    {
        var delays = Enumerable.Range(0, 1000).Select(seed => WaitSchedule.Delay(1, Initial, Max, WaitSchedule.Sample(seed, 1))).Distinct().Count();
        Assert.True(delays > 300);
        var unseeded = Enumerable.Range(0, 1000).Select(_ => WaitSchedule.Delay(1, Initial, Max, WaitSchedule.Sample(null, 1))).Distinct().Count();
        Assert.True(unseeded > 300);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData(" 120 ", 120)]
    public void Retry_After_reads_delta_seconds(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CommandPoller.ParseRetryAfter(value, DateTimeOffset.UnixEpoch));

    [Fact]
    public void Retry_After_reads_an_HTTP_date_against_now()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(90), CommandPoller.ParseRetryAfter((now + TimeSpan.FromSeconds(90)).ToString("r", CultureInfo.InvariantCulture), now));
        Assert.Equal(TimeSpan.FromSeconds(60), CommandPoller.ParseRetryAfter("Thursday, 01-Jan-26 00:01:00 GMT", now));
        Assert.Equal(TimeSpan.FromSeconds(60), CommandPoller.ParseRetryAfter("Thu Jan  1 00:01:00 2026", now));
        Assert.Equal(TimeSpan.Zero, CommandPoller.ParseRetryAfter((now - TimeSpan.FromHours(1)).ToString("r", CultureInfo.InvariantCulture), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("2026-01-01")]
    public void Retry_After_that_cannot_be_read_is_ignored(string? value) =>
        Assert.Null(CommandPoller.ParseRetryAfter(value, DateTimeOffset.UnixEpoch));

    [Fact]
    public void A_huge_Retry_After_is_capped_rather_than_overflowing()
    {
        Assert.Equal(TimeSpan.FromDays(365), CommandPoller.ParseRetryAfter("99999999999999999999999", DateTimeOffset.UnixEpoch));
        Assert.Equal(TimeSpan.FromDays(365), CommandPoller.ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Retry_After_headers_are_matched_in_any_case_and_the_largest_value_wins()
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["retry-after"] = ["3", "8"], ["Other"] = ["100"] };
        Assert.Equal(TimeSpan.FromSeconds(8), CommandPoller.RetryAfter(headers, DateTimeOffset.UnixEpoch));
        Assert.Null(CommandPoller.RetryAfter(null, DateTimeOffset.UnixEpoch));
    }
}
