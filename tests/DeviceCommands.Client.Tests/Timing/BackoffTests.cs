using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>The one backoff with its growth as a parameter: the retries and the waits are two uses of it.</summary>
public sealed class BackoffTests
{
    [Theory]
    [InlineData(1.5, 1, 2_000)]
    [InlineData(1.5, 2, 3_000)]
    [InlineData(1.5, 3, 4_500)]
    [InlineData(3.0, 3, 18_000)]
    [InlineData(3.0, 5, 60_000)]
    [InlineData(1.0, 40, 2_000)]
    public void The_growth_is_a_parameter(double growth, int attempt, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.BaseDelay(attempt, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), growth));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(7, 6_400)]
    [InlineData(8, 10_000)]
    [InlineData(1_000, 10_000)]
    public void The_spacing_of_the_gets_callbacks_ask_for_doubles_from_100_ms_to_10_s(int gets, int expectedMs) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(expectedMs),
            Backoff.BaseDelay(gets, TimingDefaults.CallbackFirstSpacing, TimingDefaults.CallbackMaxSpacing, TimingDefaults.CallbackSpacingGrowth));

    [Fact]
    public void A_growth_that_reaches_infinity_stays_at_the_cap() =>
        Assert.Equal(TimeSpan.FromMinutes(1), Backoff.Delay(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 1e10, 1.0));

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(-7)]
    public void With_a_fixed_seed_every_delay_is_inside_the_jitter_and_the_cap(int seed)
    {
        var initial = TimeSpan.FromMilliseconds(500);
        var max = TimeSpan.FromSeconds(20);
        for (var attempt = 1; attempt <= 60; attempt++)
        {
            var baseDelay = Backoff.BaseDelay(attempt, initial, max, 1.7);
            var delay = Backoff.Delay(attempt, initial, max, 1.7, Backoff.Sample(seed, attempt));

            Assert.InRange(delay, baseDelay * TimingDefaults.JitterLow - TimeSpan.FromMilliseconds(1), baseDelay * TimingDefaults.JitterHigh + TimeSpan.FromMilliseconds(1));
            Assert.InRange(delay, TimeSpan.Zero, max);
            Assert.Equal(delay, Backoff.Delay(attempt, initial, max, 1.7, Backoff.Sample(seed, attempt)));
        }
    }

    [Fact]
    public void The_retries_and_the_waits_are_the_same_backoff_with_their_own_growth_and_cap()
    {
        for (var n = 1; n <= 12; n++)
        {
            Assert.Equal(Backoff.Delay(n, TimeSpan.FromSeconds(1), RetryCap, 2.0, Backoff.Sample(5, n)), Backoff.Retry(n, TimeSpan.FromSeconds(1), 5));
            Assert.Equal(Backoff.Delay(n, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 1.2, Backoff.Sample(5, n)), Backoff.Wait(n, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 5));
        }
    }

    private static readonly TimeSpan RetryCap = TimeSpan.FromMinutes(1);
}
