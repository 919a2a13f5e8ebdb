namespace DeviceCommands.Client.Transport;

/// <summary>
/// The delay before a retry when the service gives no <c>Retry-After</c>, as a pure function of the retry's number and a
/// random sample: retry <c>n</c> (n ≥ 1) waits <c>min(<see cref="MaxDelay"/>, base × 2^(n−1))</c> times a jitter factor
/// uniform in [<see cref="JitterLow"/>, <see cref="JitterHigh"/>], so clients that failed together do not retry together.
/// </summary>
internal static class RetryBackoff
{
    /// <summary>The longest delay between two attempts: 1 minute.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    /// <summary>The smallest jitter factor.</summary>
    public const double JitterLow = 0.8;

    /// <summary>The largest jitter factor.</summary>
    public const double JitterHigh = 1.2;

    /// <summary>The delay before retry <paramref name="retry"/>, with the jitter picked by <paramref name="sample"/> in [0, 1].</summary>
    public static TimeSpan Delay(int retry, TimeSpan baseDelay, double sample)
    {
        if (baseDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // doubles over ticks, the exponent capped: 2^62 times any positive delay is past the cap, and no step overflows
        var exponent = Math.Clamp(retry - 1, 0, 62);
        var ticks = Math.Min(baseDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        var factor = JitterLow + ((JitterHigh - JitterLow) * (double.IsNaN(sample) ? 0.5 : Math.Clamp(sample, 0.0, 1.0)));
        return TimeSpan.FromTicks((long)Math.Min(ticks * factor, MaxDelay.Ticks));
    }

    /// <summary>
    /// The random sample for step <paramref name="n"/> of a sequence: with a seed a pure function of the seed and the
    /// step (a SplitMix64 hash, so a sequence resumed elsewhere continues the same), else a draw from
    /// <see cref="Random.Shared"/>. The retries and the waits draw their jitter from it.
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
}
