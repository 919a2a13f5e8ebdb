using System.Globalization;
using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>The waits' use of the one backoff: growth 1.2 from the initial delay to the cap, jittered, never overflowing.</summary>
public sealed class WaitBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1200)]
    [InlineData(3, 1440)]
    [InlineData(4, 1728)]
    [InlineData(9, 4300)]
    [InlineData(19, 26623)]
    [InlineData(20, 30000)]
    [InlineData(21, 30000)]
    public void The_base_delay_grows_by_a_fifth_to_the_cap(int poll, int expectedMs) =>
        Assert.Equal(expectedMs, BaseDelay(poll, Initial, Max).TotalMilliseconds, 0);

    [Fact]
    public void Poll_numbers_below_one_read_as_the_first()
    {
        Assert.Equal(Initial, BaseDelay(0, Initial, Max));
        Assert.Equal(Initial, BaseDelay(int.MinValue, Initial, Max));
    }

    [Theory]
    [InlineData(0.0, 800)]
    [InlineData(0.5, 1000)]
    [InlineData(1.0, 1200)]
    public void Jitter_spans_eighty_to_one_hundred_twenty_percent(double sample, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Delay(1, Initial, Max, sample));

    [Fact]
    public void Jitter_bounds_hold_for_every_poll_and_seed()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            for (var poll = 1; poll < 40; poll++)
            {
                var sample = Backoff.Sample(seed, poll);
                Assert.InRange(sample, 0.0, 1.0);
                var baseDelay = BaseDelay(poll, Initial, Max);
                var delay = Delay(poll, Initial, Max, sample);
                Assert.InRange(delay, baseDelay * 0.8 - TimeSpan.FromMilliseconds(1), Max);
                Assert.True(delay <= baseDelay * 1.2 + TimeSpan.FromMilliseconds(1));
                Assert.Equal(0, delay.Ticks % TimeSpan.TicksPerMillisecond);
            }
        }
    }

    [Fact]
    public void Out_of_range_samples_are_clamped()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(800), Delay(1, Initial, Max, -5));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), Delay(1, Initial, Max, 7));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), Delay(1, Initial, Max, double.NaN));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(1_000_000)]
    [InlineData(int.MaxValue)]
    public void Very_high_poll_counts_stay_at_the_cap_without_overflow(int poll)
    {
        Assert.Equal(Max, BaseDelay(poll, Initial, Max));
        Assert.InRange(Delay(poll, Initial, Max, 0.0), Max * 0.8, Max);
        Assert.Equal(Max, Delay(poll, Initial, Max, 1.0));
    }

    [Fact]
    public void Extreme_delays_do_not_overflow()
    {
        var tiny = TimeSpan.FromTicks(1);
        Assert.Equal(TimeSpan.MaxValue, BaseDelay(1_000_000, tiny, TimeSpan.MaxValue));
        Assert.Equal(TimeSpan.MaxValue, Delay(1_000_000, tiny, TimeSpan.MaxValue, 1.0));
        Assert.InRange(Delay(1_000_000, tiny, TimeSpan.MaxValue, 0.0), TimeSpan.Zero, TimeSpan.MaxValue);
        Assert.Equal(TimeSpan.MaxValue, Delay(1, TimeSpan.MaxValue, TimeSpan.MaxValue, 1.0));
    }

    [Fact]
    public void Delays_never_decrease_before_jitter_and_are_never_negative()
    {
        var previous = TimeSpan.Zero;
        for (var poll = 1; poll < 300; poll++)
        {
            var delay = BaseDelay(poll, TimeSpan.FromMilliseconds(3), TimeSpan.FromHours(1));
            Assert.True(delay >= previous);
            Assert.True(Delay(poll, TimeSpan.FromMilliseconds(3), TimeSpan.FromHours(1), 0) >= TimeSpan.Zero);
            previous = delay;
        }
    }

    [Fact]
    public void A_seed_makes_the_jitter_a_pure_function_of_seed_and_poll()
    {
        Assert.Equal(Backoff.Sample(7, 3), Backoff.Sample(7, 3));
        Assert.NotEqual(Backoff.Sample(7, 3), Backoff.Sample(7, 4));
        Assert.NotEqual(Backoff.Sample(7, 3), Backoff.Sample(8, 3));
    }

    [Fact]
    public void Seeded_samples_spread_over_the_unit_interval()
    {
        var samples = Enumerable.Range(1, 2000).Select(p => Backoff.Sample(123, p)).ToList();
        Assert.All(samples, s => Assert.InRange(s, 0.0, 1.0));
        Assert.InRange(samples.Average(), 0.45, 0.55);
        Assert.True(samples.Min() < 0.05 && samples.Max() > 0.95);
    }

    [Fact]
    public void Waits_started_together_do_not_poll_in_lock_step()
    {
        var delays = Enumerable.Range(0, 1000).Select(seed => Delay(1, Initial, Max, Backoff.Sample(seed, 1))).Distinct().Count();
        Assert.True(delays > 300);
        var unseeded = Enumerable.Range(0, 1000).Select(_ => Delay(1, Initial, Max, Backoff.Sample(null, 1))).Distinct().Count();
        Assert.True(unseeded > 300);
    }

    private static TimeSpan BaseDelay(int poll, TimeSpan initial, TimeSpan max) => Backoff.BaseDelay(poll, initial, max, TimingDefaults.WaitGrowth);

    private static TimeSpan Delay(int poll, TimeSpan initial, TimeSpan max, double sample) => Backoff.Delay(poll, initial, max, TimingDefaults.WaitGrowth, sample);
}
