using System.Globalization;
using System.Net;
using DeviceCommands.Client.Transport;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Transport;

public class RetryAfterTests
{
    [Theory]
    [InlineData("5", 5)]
    [InlineData(" 0 ", 0)]
    [InlineData("120", 120)]
    public void Delta_seconds_read_as_a_delay(string value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, new VirtualClock()));
    }

    [Fact]
    public void An_http_date_reads_against_the_clock_and_a_past_date_is_zero()
    {
        var clock = new VirtualClock();

        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse(clock.GetUtcNow().AddSeconds(30).ToString("r"), clock));
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse(clock.GetUtcNow().AddSeconds(-30).ToString("r"), clock));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Anything_else_is_no_hint(string? value)
    {
        Assert.Null(RetryAfter.Parse(value, new VirtualClock()));
    }

    [Fact]
    public void Retry_after_ms_wins_over_retry_after()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "10");
        response.Headers.Add("retry-after-ms", "250");

        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryAfter.From(response, new VirtualClock()));
    }

    [Fact]
    public void Kiota_header_maps_are_read_case_insensitively()
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["retry-after"] = ["4"] };

        Assert.Equal(TimeSpan.FromSeconds(4), RetryAfter.From(headers, new VirtualClock()));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData(" 120 ", 120)]
    public void Retry_After_reads_delta_seconds(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, DateTimeOffset.UnixEpoch));

    [Fact]
    public void Retry_After_reads_an_HTTP_date_against_now()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Parse((now + TimeSpan.FromSeconds(90)).ToString("r", CultureInfo.InvariantCulture), now));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryAfter.Parse("Thursday, 01-Jan-26 00:01:00 GMT", now));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryAfter.Parse("Thu Jan  1 00:01:00 2026", now));
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse((now - TimeSpan.FromHours(1)).ToString("r", CultureInfo.InvariantCulture), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("2026-01-01")]
    public void Retry_After_that_cannot_be_read_is_ignored(string? value) =>
        Assert.Null(RetryAfter.Parse(value, DateTimeOffset.UnixEpoch));

    [Fact]
    public void A_huge_Retry_After_is_capped_rather_than_overflowing()
    {
        Assert.Equal(TimeSpan.FromDays(365), RetryAfter.Parse("99999999999999999999999", DateTimeOffset.UnixEpoch));
        Assert.Equal(TimeSpan.FromDays(365), RetryAfter.Parse("Fri, 31 Dec 9999 23:59:59 GMT", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Retry_After_headers_are_matched_in_any_case_and_the_largest_value_wins()
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["retry-after"] = ["3", "8"], ["Other"] = ["100"] };
        Assert.Equal(TimeSpan.FromSeconds(8), RetryAfter.From(headers, DateTimeOffset.UnixEpoch));
        Assert.Null(RetryAfter.From(null, DateTimeOffset.UnixEpoch));
    }
}
