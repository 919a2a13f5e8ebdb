using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// One definition of transient, shared by the retry layer and the waits. For each status, the transport
/// retries a GET exactly when a wait keeps going after a poll answered with it; 501 is not transient, 503 is.
/// </summary>
public sealed class TransientStatusRuleTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    [InlineData(507, false)]
    public async Task The_transport_retries_a_GET_on_a_status_exactly_when_a_wait_keeps_polling_after_it(int status, bool transient)
    {
        // the transport: one retry allowed
        await using var transport = RawHttpServer.Start();
        transport.Enqueue(Failing(status), Reply.Respond(200, Answers.Completed));
        var retrying = TestClients.Loopback(transport, configure: o => o.MaxRetries = 1);
        var (getError, _) = await Timed.RunAsync(() => retrying.Me.Devices["d"].Commands["c"].GetAsync());
        var transportRetried = getError is null;
        if (!transportRetried)
        {
            Assert.Equal(status, Assert.IsType<ODataError>(getError).ResponseStatusCode);
        }

        Assert.Equal(transportRetried ? 2 : 1, transport.Requests.Count);

        // the wait: no transport retries, so only the wait can poll again
        await using var waiting = RawHttpServer.Start();
        waiting.Enqueue(Failing(status), Reply.Respond(200, Answers.Completed));
        var polling = TestClients.Loopback(waiting, configure: o => o.MaxRetries = 0);
        CommandWaitResult? result = null;
        var (waitError, _) = await Timed.RunAsync(async () => result = await polling.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(
            new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5) }));
        var waitKeptPolling = waitError is null;
        if (waitKeptPolling)
        {
            Assert.Equal(ActionStatus.Completed, result!.Status);
            Assert.Equal(2, result.Polls);
        }
        else
        {
            Assert.Equal(status, Assert.IsType<ODataError>(waitError).ResponseStatusCode);
        }

        Assert.Equal(waitKeptPolling ? 2 : 1, waiting.Requests.Count);

        Assert.Equal(transient, transportRetried);
        Assert.Equal(transient, waitKeptPolling);
    }

    [Theory]
    [InlineData("reset", true)]
    [InlineData("half-body", true)]
    [InlineData("attempt-timeout", true)]
    [InlineData("body-over-the-size-limit", false)]
    [InlineData("not-json", false)]
    [InlineData("json-array", false)]
    public async Task The_transport_retries_a_GET_after_a_failure_exactly_when_a_wait_keeps_polling_after_it(string failure, bool transient)
    {
        static Reply Failure(string failure) => failure switch
        {
            "reset" => Reply.Reset(),
            "half-body" => Reply.HalfBody(200, Answers.Completed, 10, HalfBodyEnd.Close),
            "attempt-timeout" => Reply.Silence(),
            "body-over-the-size-limit" => Reply.Respond(200, Answers.Padded(Answers.Completed, 2048)),
            "not-json" => Reply.Respond(200, "<html>oops</html>", "text/html"),
            _ => Reply.Respond(200, "[1,2,3]"),
        };

        void Configure(DeviceCommandsClientOptions o)
        {
            // only the silent answer may time out: on a starved 2-core machine even a loopback answer can take 1 s
            o.AttemptTimeout = failure == "attempt-timeout" ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);
            o.MaxResponseContentBytes = 1024;
        }

        await using var transport = RawHttpServer.Start();
        transport.Enqueue(Failure(failure), Reply.Respond(200, Answers.Completed));
        var retrying = TestClients.Loopback(transport, configure: o => { Configure(o); o.MaxRetries = 1; });
        var (getError, _) = await Timed.RunAsync(() => retrying.Me.Devices["d"].Commands["c"].GetAsync());
        var transportRetried = getError is null;
        Assert.Equal(transportRetried ? 2 : 1, transport.Requests.Count);

        await using var waiting = RawHttpServer.Start();
        waiting.Enqueue(Failure(failure), Reply.Respond(200, Answers.Completed));
        var polling = TestClients.Loopback(waiting, configure: o => { Configure(o); o.MaxRetries = 0; });
        CommandWaitResult? result = null;
        var (waitError, _) = await Timed.RunAsync(async () => result = await polling.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(
            new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5) }));
        var waitKeptPolling = waitError is null;
        Assert.Equal(waitKeptPolling ? 2 : 1, waiting.Requests.Count);
        if (!transient)
        {
            // a body that cannot be read is the ApiException of the promise of reading, for both
            Assert.True(getError is Microsoft.Kiota.Abstractions.ApiException and not ODataError, $"GET: {getError}");
            Assert.True(waitError is Microsoft.Kiota.Abstractions.ApiException and not ODataError, $"wait: {waitError}");
        }

        Assert.Equal(transient, transportRetried);
        Assert.Equal(transient, waitKeptPolling);
    }

    [Fact]
    public async Task A_poll_answered_501_ends_the_wait_at_once_and_is_not_retried_by_the_transport()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Failing(501));
        var client = TestClients.Loopback(server); // 3 retries allowed

        var timed = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(
            new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(10) }));
        var error = timed.Error;

        var odata = Assert.IsType<ODataError>(error);
        Assert.Equal(501, odata.ResponseStatusCode);
        Assert.Equal("someCode", odata.Error?.Code);
        Assert.Single(server.Requests);
        timed.EndedWithin(TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_poll_answered_503_is_retried_by_the_transport_and_does_not_end_the_wait()
    {
        await using var server = RawHttpServer.Start();
        server.Enqueue(Failing(503), Failing(503), Reply.Respond(200, Answers.Completed));
        var client = TestClients.Loopback(server); // 3 retries allowed

        var result = await client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(10) });

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(1, result.Polls); // the transport's retries are inside one poll
        Assert.Equal(3, server.Requests.Count);
    }

    private static Reply Failing(int status) =>
        Reply.Respond(status, Answers.ODataErrorBody, "application/json", ("Retry-After", "0"));
}
