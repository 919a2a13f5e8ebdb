using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>The retry layer's backoff when the service gives no Retry-After: doubling from the base, jittered, capped, never overflowing.</summary>
public class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.0)]
    [InlineData(3, 4.0)]
    [InlineData(6, 32.0)]
    public void Retry_n_waits_the_base_doubled_n_minus_1_times_at_the_middle_of_the_jitter(int retry, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Delay(retry, TimeSpan.FromSeconds(1), 0.5));

    [Fact]
    public void The_jitter_spans_eighty_to_one_hundred_and_twenty_percent()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.6), Delay(2, TimeSpan.FromSeconds(1), 0.0));
        Assert.Equal(TimeSpan.FromSeconds(2.4), Delay(2, TimeSpan.FromSeconds(1), 1.0));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(int.MaxValue)]
    public void A_late_retry_is_capped_at_one_minute_without_overflow_and_still_jittered_below_it(int retry)
    {
        Assert.Equal(TimingDefaults.RetryMaxDelay, Delay(retry, TimeSpan.FromSeconds(1), 1.0));
        Assert.Equal(TimingDefaults.RetryMaxDelay, Delay(retry, TimeSpan.MaxValue, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(48), Delay(retry, TimeSpan.MaxValue, 0.0));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-3.0)]
    [InlineData(7.0)]
    public void A_sample_out_of_range_stays_within_the_jitter(double sample)
    {
        var delay = Delay(1, TimeSpan.FromSeconds(1), sample);

        Assert.InRange(delay, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
    }

    [Fact]
    public void A_zero_base_means_no_delay() => Assert.Equal(TimeSpan.Zero, Delay(3, TimeSpan.Zero, 0.5));

    /// <summary>The retry layer's use of the one backoff: growth 2, capped at a minute.</summary>
    private static TimeSpan Delay(int retry, TimeSpan baseDelay, double sample) =>
        Backoff.Delay(retry, baseDelay, TimingDefaults.RetryMaxDelay, TimingDefaults.RetryGrowth, sample);
}
