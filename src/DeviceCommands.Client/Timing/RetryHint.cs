using System.Globalization;

namespace DeviceCommands.Client.Timing;

/// <summary>
/// Reads the service's hint of when to ask again, at a given time: <c>retry-after-ms</c>, or <c>Retry-After</c> as delta
/// seconds or an HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms). A hint is never negative and never
/// longer than <see cref="TimingDefaults.LongestHint"/>. The public face of it is <c>Transport.RetryAfter</c>.
/// </summary>
internal static class RetryHint
{
    private static readonly TimeSpan Longest = TimingDefaults.LongestHint;

    private static readonly string[] HttpDateFormats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"];

    /// <summary>The delay an answer's headers ask for, at <paramref name="now"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The time an HTTP date is read against.</param>
    /// <returns>The delay; null without a readable hint.</returns>
    public static TimeSpan? From(HttpResponseMessage response, DateTimeOffset now) =>
        From(response.Headers.Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value)), now);

    /// <summary>The delay asked for by headers, at <paramref name="now"/>: <c>retry-after-ms</c> first, else the largest <c>Retry-After</c>.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The time an HTTP date is read against.</param>
    /// <returns>The delay; null without a readable hint.</returns>
    public static TimeSpan? From(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers, DateTimeOffset now)
    {
        if (headers is null)
        {
            return null;
        }

        TimeSpan? result = null;
        foreach (var (name, values) in headers)
        {
            if (values is null)
            {
                continue;
            }

            if (string.Equals(name, "retry-after-ms", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            {
                return ms >= Longest.TotalMilliseconds ? Longest : TimeSpan.FromMilliseconds(ms);
            }

            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    if (Parse(value, now) is { } parsed && (result is null || parsed > result))
                    {
                        result = parsed;
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Parses one <c>Retry-After</c> value at <paramref name="now"/>.</summary>
    /// <param name="value">The header's value.</param>
    /// <param name="now">The time an HTTP date is read against.</param>
    /// <returns>The delay; null when the value is neither delta seconds nor an HTTP date.</returns>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.All(char.IsAsciiDigit))
        {
            // any run of digits is a delta; a huge one is capped rather than overflowing
            return text.Length > 9 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > Longest.TotalSeconds
                ? Longest
                : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(text, HttpDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            var delta = date - now;
            return delta <= TimeSpan.Zero ? TimeSpan.Zero : delta > Longest ? Longest : delta;
        }

        return null;
    }
}
