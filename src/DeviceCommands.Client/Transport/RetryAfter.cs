using System.Globalization;
using System.Net.Http.Headers;

namespace DeviceCommands.Client.Transport;

/// <summary>Reads the service's hint of when to ask again: <c>Retry-After</c> (seconds or an HTTP date) or <c>retry-after-ms</c>.</summary>
public static class RetryAfter
{
    /// <summary>The delay a response asks for, measured against <paramref name="timeProvider"/>; null when it gives none.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay, never negative; null without a hint.</returns>
    public static TimeSpan? From(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (response.Headers.TryGetValues("retry-after-ms", out var ms) && TryMilliseconds(ms.FirstOrDefault(), out var fromMs))
        {
            return fromMs;
        }

        return From(response.Headers.RetryAfter, timeProvider);
    }

    /// <summary>The delay a parsed <c>Retry-After</c> asks for, measured against <paramref name="timeProvider"/>.</summary>
    /// <param name="header">The header, if any.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay, never negative; null without a hint.</returns>
    public static TimeSpan? From(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>The delay asked for by headers as Kiota hands them over (a case-insensitive name to values map).</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay, never negative; null without a hint.</returns>
    public static TimeSpan? From(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (headers is null)
        {
            return null;
        }

        string? retryAfter = null;
        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, "retry-after-ms", StringComparison.OrdinalIgnoreCase) && TryMilliseconds(values.FirstOrDefault(), out var fromMs))
            {
                return fromMs;
            }

            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                retryAfter = values.FirstOrDefault();
            }
        }

        return Parse(retryAfter, timeProvider);
    }

    /// <summary>Parses a <c>Retry-After</c> value: whole seconds, or an HTTP date.</summary>
    /// <param name="value">The header's value.</param>
    /// <param name="timeProvider">The clock an HTTP date is read against.</param>
    /// <returns>The delay, never negative; null when the value is neither.</returns>
    public static TimeSpan? Parse(string? value, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds - 1));
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool TryMilliseconds(string? text, out TimeSpan delay)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && ms < TimeSpan.MaxValue.TotalMilliseconds)
        {
            delay = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        delay = default;
        return false;
    }
}
