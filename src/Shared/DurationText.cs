using System.Globalization;

namespace DeviceCommands.Shared;

/// <summary>
/// The one way a duration is written in text, in the client's configuration and on the emulator's command line: a
/// number with a unit (<c>500ms</c>, <c>2s</c>, <c>1.5m</c>, <c>1h</c>) or TimeSpan text with colons (<c>00:00:02</c>).
/// A bare number is refused, because TimeSpan text reads <c>2</c> as two days and a command line as two seconds.
/// Compiled into each project that reads durations (a linked source file, internal there).
/// </summary>
internal static class DurationText
{
    /// <summary>The forms accepted, for messages.</summary>
    public const string Forms = "a number with a unit (500ms, 2s, 1.5m, 1h) or TimeSpan text such as 00:00:02";

    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    /// <summary>Reads a duration that is zero or more.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration read.</param>
    /// <param name="error">Why the text is not a duration, with the fix; null when it is.</param>
    /// <returns>Whether the text is a duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        value = default;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = $"an empty text is not a duration: write {Forms}.";
            return false;
        }

        if (IsNumber(trimmed, out var bare))
        {
            error = $"'{trimmed}' has no unit: write {trimmed}s for {bare.ToString(CultureInfo.InvariantCulture)} seconds (or {trimmed}ms, {trimmed}m, {trimmed}h).";
            return false;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value))
            {
                error = $"'{trimmed}' is not TimeSpan text: write {Forms}.";
                return false;
            }

            return NotNegative(trimmed, value < TimeSpan.Zero, out error);
        }

        foreach (var (suffix, seconds) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && IsNumber(trimmed[..^suffix.Length], out var amount))
            {
                if (!NotNegative(trimmed, amount < 0, out error))
                {
                    return false;
                }

                if (amount * seconds >= TimeSpan.MaxValue.TotalSeconds)
                {
                    error = $"'{trimmed}' is longer than any TimeSpan.";
                    return false;
                }

                value = TimeSpan.FromSeconds(amount * seconds);
                return true;
            }
        }

        error = $"'{trimmed}' is not a duration: write {Forms}.";
        return false;
    }

    private static bool NotNegative(string text, bool negative, out string? error)
    {
        error = negative ? $"'{text}' is negative: a duration is zero or more." : null;
        return !negative;
    }

    /// <summary>A plain finite decimal number (digits, a sign, a point; no exponent, no "Infinity").</summary>
    private static bool IsNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number)
        && double.IsFinite(number);
}
