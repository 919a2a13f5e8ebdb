using System.Globalization;
using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>The service's Retry-After read at a fixed time: seconds, dates, the past, beyond the longest hint.</summary>
public sealed class RetryHintTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData(" 120 ", 120)]
    [InlineData("31536000", 31_536_000)]
    public void Delta_seconds(string value, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), RetryHint.Parse(value, Now));

    [Theory]
    [InlineData("Thu, 01 Jan 2026 00:01:30 GMT", 90)]
    [InlineData("Thursday, 01-Jan-26 00:01:00 GMT", 60)]
    [InlineData("Thu Jan  1 00:01:00 2026", 60)]
    [InlineData("Thu, 01 Jan 2026 00:00:00 GMT", 0)]
    [InlineData("Wed, 31 Dec 2025 23:00:00 GMT", 0)]
    public void Dates_are_read_against_now_and_the_past_is_zero(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryHint.Parse(value, Now));

    [Theory]
    [InlineData("31536001")]
    [InlineData("9999999999")]
    [InlineData("99999999999999999999999")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    public void Beyond_the_longest_hint_is_capped_at_365_days(string value) =>
        Assert.Equal(TimingDefaults.LongestHint, RetryHint.Parse(value, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("soon")]
    public void Anything_else_is_no_hint(string? value) => Assert.Null(RetryHint.Parse(value, Now));

    [Theory]
    [InlineData("250", 250)]
    [InlineData("1e15", 31_536_000_000)]
    public void Retry_after_ms_comes_first_and_is_capped(string ms, long expectedMs)
    {
        var headers = new Dictionary<string, IEnumerable<string>>
        {
            ["Retry-After"] = ["30"],
            ["Retry-After-Ms"] = [ms],
        };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryHint.From(headers, Now));
    }

    [Fact]
    public void The_largest_of_several_retry_after_values_wins()
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["retry-after"] = ["3", Now.AddSeconds(8).ToString("r", CultureInfo.InvariantCulture), "x"] };

        Assert.Equal(TimeSpan.FromSeconds(8), RetryHint.From(headers, Now));
        Assert.Null(RetryHint.From((Dictionary<string, IEnumerable<string>>?)null, Now));
    }
}
