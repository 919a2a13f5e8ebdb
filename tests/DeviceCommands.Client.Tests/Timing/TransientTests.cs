using DeviceCommands.Client.Models;
using DeviceCommands.Client.Timing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>What counts as a passing failure, and which requests may be sent again after one.</summary>
public sealed class TransientTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(200, false)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(501, false)]
    public void Passing_statuses(int status, bool passing) => Assert.Equal(passing, Transient.IsStatus(status));

    [Theory]
    [InlineData("GET", 503, true)]
    [InlineData("HEAD", 500, true)]
    [InlineData("GET", 429, true)]
    [InlineData("POST", 429, true)]
    [InlineData("POST", 503, false)]
    [InlineData("POST", 408, false)]
    [InlineData("PATCH", 500, false)]
    [InlineData("GET", 404, false)]
    public void Only_a_429_or_an_idempotent_request_is_sent_again_after_an_answer(string method, int status, bool again) =>
        Assert.Equal(again, Transient.MaySendAgain(new HttpMethod(method), status));

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new TimeoutException(), true },
        { new IOException(), true },
        { new HttpRequestException("reset"), true },
        { new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, "too big"), false },
        { new ApiException("wrapped", new IOException()), true },
        { new ApiException("wrapped", new InvalidOperationException()), false },
        { new ODataError("the service's own error", new IOException()), false },
        { new ApiException("no inner"), false },
        { new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Passing_failures(Exception failure, bool passing) => Assert.Equal(passing, Transient.IsFailure(failure));

    [Fact]
    public void Only_an_idempotent_request_is_sent_again_after_a_failure()
    {
        Assert.True(Transient.MaySendAgain(HttpMethod.Get, new IOException()));
        Assert.True(Transient.MaySendAgain(HttpMethod.Head, new TimeoutException()));
        Assert.False(Transient.MaySendAgain(HttpMethod.Post, new IOException()));
        Assert.False(Transient.MaySendAgain(HttpMethod.Get, new InvalidOperationException()));
    }
}
