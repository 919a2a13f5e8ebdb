namespace DeviceCommands.Client.Timing;

/// <summary>
/// The one backoff of the client, for the retry layer and the waits alike: attempt <c>n</c> (n ≥ 1) waits
/// <c>min(max, initial × growth^(n−1))</c> times a jitter factor uniform in [<see cref="TimingDefaults.JitterLow"/>,
/// <see cref="TimingDefaults.JitterHigh"/>] picked by a sample, clamped to [0, max] and rounded to whole milliseconds
/// (timers count milliseconds), so clients that failed or started together do not come back together.
/// </summary>
/// <remarks>
/// Doubles over ticks with the exponent capped at <see cref="MaxExponent"/>: attempt 1,000,000 or
/// <see cref="int.MaxValue"/> cannot overflow, and a growth large enough to reach infinity is clamped to the cap.
/// </remarks>
internal static class Backoff
{
    /// <summary>The cap of the exponent: past it the base delay is at the cap for any pair of delays and growth ≥ 1.2.</summary>
    public const int MaxExponent = 256;

    /// <summary>The delay before retry <paramref name="retry"/> of the retry layer (growth 2, cap 1 minute).</summary>
    public static TimeSpan Retry(int retry, TimeSpan baseDelay, int? seed) =>
        Delay(retry, baseDelay, TimingDefaults.RetryMaxDelay, TimingDefaults.RetryGrowth, Sample(seed, retry));

    /// <summary>The delay after poll <paramref name="poll"/> of a wait (growth 1.2), between the given delays.</summary>
    public static TimeSpan Wait(int poll, TimeSpan initial, TimeSpan max, int? seed) =>
        Delay(poll, initial, max, TimingDefaults.WaitGrowth, Sample(seed, poll));

    /// <summary>The delay before jitter: <c>min(max, initial × growth^(attempt−1))</c>, whole milliseconds.</summary>
    public static TimeSpan BaseDelay(int attempt, TimeSpan initial, TimeSpan max, double growth) =>
        ToTimeSpan(BaseTicks(attempt, initial, max, growth), max);

    /// <summary>The delay of attempt <paramref name="attempt"/>, with the jitter picked by <paramref name="sample"/> in [0, 1] (NaN: the middle).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double growth, double sample)
    {
        sample = double.IsNaN(sample) ? 0.5 : Math.Clamp(sample, 0.0, 1.0);
        var factor = TimingDefaults.JitterLow + ((TimingDefaults.JitterHigh - TimingDefaults.JitterLow) * sample);
        return ToTimeSpan(BaseTicks(attempt, initial, max, growth) * factor, max);
    }

    /// <summary>
    /// The random sample for step <paramref name="n"/> of a sequence: with a seed a pure function of the seed and the
    /// step (a SplitMix64 hash, so a sequence resumed elsewhere continues the same), else a draw from
    /// <see cref="Random.Shared"/>.
    /// </summary>
    public static double Sample(int? seed, int n)
    {
        if (seed is not { } s)
        {
            return Random.Shared.NextDouble();
        }

        var z = unchecked(((ulong)(uint)s << 32) ^ (uint)n) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Ticks to a delay in [0, max]; a double near long.MaxValue can round up to 2^63, so the cap is applied before the conversion.</summary>
    private static TimeSpan ToTimeSpan(double ticks, TimeSpan max)
    {
        if (max <= TimeSpan.Zero || double.IsNaN(ticks) || ticks <= 0)
        {
            return TimeSpan.Zero;
        }

        var rounded = Math.Round(ticks / TimeSpan.TicksPerMillisecond) * TimeSpan.TicksPerMillisecond;
        return rounded >= max.Ticks ? max : TimeSpan.FromTicks((long)rounded);
    }

    private static double BaseTicks(int attempt, TimeSpan initial, TimeSpan max, double growth)
    {
        var exponent = Math.Min(Math.Max(attempt, 1) - 1, MaxExponent);
        var ticks = initial.Ticks * Math.Pow(growth, exponent);
        return double.IsNaN(ticks) ? 0.0 : Math.Clamp(ticks, 0.0, Math.Max(0.0, max.Ticks));
    }
}
