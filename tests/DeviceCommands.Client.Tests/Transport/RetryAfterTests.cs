using System.Net;
using DeviceCommands.Client.Tests.TestSupport;
using DeviceCommands.Client.Transport;

namespace DeviceCommands.Client.Tests.Transport;

public class RetryAfterTests
{
    [Theory]
    [InlineData("5", 5)]
    [InlineData(" 0 ", 0)]
    [InlineData("120", 120)]
    public void Delta_seconds_read_as_a_delay(string value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, FakeTime.Create()));
    }

    [Fact]
    public void An_http_date_reads_against_the_clock_and_a_past_date_is_zero()
    {
        var clock = FakeTime.Create();

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
        Assert.Null(RetryAfter.Parse(value, FakeTime.Create()));
    }

    [Fact]
    public void Retry_after_ms_wins_over_retry_after()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "10");
        response.Headers.Add("retry-after-ms", "250");

        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryAfter.From(response, FakeTime.Create()));
    }

    [Fact]
    public void Kiota_header_maps_are_read_case_insensitively()
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["retry-after"] = ["4"] };

        Assert.Equal(TimeSpan.FromSeconds(4), RetryAfter.From(headers, FakeTime.Create()));
    }
}
