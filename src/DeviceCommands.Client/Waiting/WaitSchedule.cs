using DeviceCommands.Client.Transport;

namespace DeviceCommands.Client;

/// <summary>
/// The polling schedule of a wait, as pure functions of the poll number and a random sample:
/// the delay after poll <c>n</c> (n ≥ 1) is <c>min(max, initial × Growth^(n−1))</c> times a jitter factor uniform in
/// [<see cref="JitterLow"/>, <see cref="JitterHigh"/>], clamped to [0, max] and rounded to whole milliseconds.
/// </summary>
/// <remarks>
/// Computed in doubles over ticks with the exponent capped at <see cref="MaxExponent"/> (1.2^256 ≈ 1.9e20 is
/// finite, and larger than any ratio of two positive <see cref="TimeSpan"/> values), so poll 1,000,000 or
/// <see cref="int.MaxValue"/> cannot overflow.
/// </remarks>
internal static class WaitSchedule
{
    /// <summary>
    /// The growth of the delay from one poll to the next. 1.2 was chosen by simulation (the benchmark project's
    /// <c>schedule</c> mode): with the default 1 s to 30 s it is not beaten on both polls and detection delay by a fixed
    /// 1 s, a fixed 10 s, exponential 2 s to 120 s with full jitter, or 1,1,1,2,4,…,32 s, for commands that end after
    /// 3 s, 30 s, 300 s or 3,600 s; 1.5 and 2 lost to a fixed 10 s for commands of about 30 s.
    /// </summary>
    public const double Growth = 1.2;

    /// <summary>The smallest jitter factor.</summary>
    public const double JitterLow = 0.8;

    /// <summary>The largest jitter factor.</summary>
    public const double JitterHigh = 1.2;

    /// <summary>The cap of the exponent: past it the base delay is at <c>max</c> for any pair of delays.</summary>
    public const int MaxExponent = 256;

    /// <summary>The delay after poll <paramref name="poll"/> before jitter: <c>min(max, initial × Growth^(poll−1))</c>.</summary>
    public static TimeSpan BaseDelay(int poll, TimeSpan initial, TimeSpan max) =>
        ToTimeSpan(BaseTicks(poll, initial, max), max);

    /// <summary>The delay after poll <paramref name="poll"/>, with the jitter picked by <paramref name="sample"/> in [0, 1).</summary>
    public static TimeSpan Delay(int poll, TimeSpan initial, TimeSpan max, double sample)
    {
        if (double.IsNaN(sample))
        {
            sample = 0.5;
        }

        sample = Math.Clamp(sample, 0.0, 1.0);
        var factor = JitterLow + ((JitterHigh - JitterLow) * sample);
        var ticks = BaseTicks(poll, initial, max) * factor;
        return ToTimeSpan(ticks, max);
    }

    /// <summary>The random sample for poll <paramref name="poll"/>: with a seed a pure function of the seed and the poll number, else a random draw.</summary>
    public static double Sample(int? seed, int poll) => RetryBackoff.Sample(seed, poll);

    /// <summary>Ticks to a delay in [0, max]; a double near long.MaxValue can round up to 2^63, so the cap is applied before the conversion.</summary>
    private static TimeSpan ToTimeSpan(double ticks, TimeSpan max)
    {
        if (max <= TimeSpan.Zero || double.IsNaN(ticks) || ticks <= 0)
        {
            return TimeSpan.Zero;
        }

        // whole milliseconds: timers (Task.Delay) count in milliseconds
        var rounded = Math.Round(ticks / TimeSpan.TicksPerMillisecond) * TimeSpan.TicksPerMillisecond;
        return rounded >= max.Ticks ? max : TimeSpan.FromTicks((long)rounded);
    }

    private static double BaseTicks(int poll, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Min(Math.Max(poll, 1) - 1, MaxExponent);
        var ticks = initial.Ticks * Math.Pow(Growth, exponent);
        return Math.Clamp(ticks, 0.0, Math.Max(0.0, max.Ticks));
    }
}
