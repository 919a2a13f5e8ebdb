using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// Reads the service's hint of when to ask again: <c>retry-after-ms</c>, or <c>Retry-After</c> as delta seconds or an
/// HTTP date, read against a clock. A hint is never negative and never longer than <see cref="Longest"/>. Kept in this
/// namespace for 0.2's users; the client's own timing (docs/waiting.md) reads hints through the same code.
/// </summary>
public static class RetryAfter
{
    /// <summary>The longest hint read (365 days): a larger value, or a date far ahead, is capped rather than overflowing.</summary>
    public static readonly TimeSpan Longest = TimingDefaults.LongestHint;

    /// <summary>The delay a response asks for, measured against <paramref name="timeProvider"/>; null when it gives none.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay; null without a readable hint.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static TimeSpan? From(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return RetryHint.From(response, timeProvider.GetUtcNow());
    }

    /// <summary>The delay asked for by headers as Kiota hands them over (a name to values map, names in any case).</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay; null without a readable hint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public static TimeSpan? From(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return RetryHint.From(headers, timeProvider.GetUtcNow());
    }

    /// <summary>The delay asked for by headers, at <paramref name="now"/>: <c>retry-after-ms</c> first, else the largest <c>Retry-After</c>.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The time an HTTP date is read against.</param>
    /// <returns>The delay; null without a readable hint.</returns>
    public static TimeSpan? From(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers, DateTimeOffset now) => RetryHint.From(headers, now);

    /// <summary>Parses one <c>Retry-After</c> value against a clock.</summary>
    /// <param name="value">The header's value.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay; null when the value is neither delta seconds nor an HTTP date.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public static TimeSpan? Parse(string? value, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return RetryHint.Parse(value, timeProvider.GetUtcNow());
    }

    /// <summary>Parses one <c>Retry-After</c> value at <paramref name="now"/>.</summary>
    /// <param name="value">The header's value.</param>
    /// <param name="now">The time an HTTP date is read against.</param>
    /// <returns>The delay; null when the value is neither delta seconds nor an HTTP date.</returns>
    public static TimeSpan? Parse(string? value, DateTimeOffset now) => RetryHint.Parse(value, now);
}
