using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// Quiet logs, with stable event ids: a request that succeeded at Debug (1), a retry at Information with its reason
/// and delay (3), a request that failed for good at Warning (2 without an answer, 6 with an error answer), a wait's
/// status change at Information (5). The caller's own cancellation is not a warning.
/// </summary>
public class LogLevelTests
{
    private static (DeviceCommandsClient Client, LogCapture Logs) Client(ScriptedHandler handler, VirtualClock clock, int maxRetries = 3)
    {
        var logs = new LogCapture();
        return (DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            HttpMessageHandler = handler, TimeProvider = clock, LoggerFactory = logs, MaxRetries = maxRetries,
        }), logs);
    }

    private static IEnumerable<(LogLevel, int)> Events(LogCapture logs) => logs.Entries.Select(e => (e.Level, e.EventId.Id));

    [Fact]
    public async Task A_request_that_succeeds_logs_once_at_debug()
    {
        var clock = new VirtualClock();
        var (client, logs) = Client(new ScriptedHandler(clock).Always(HttpStatusCode.OK, """{"id":"c"}"""), clock);

        await client.Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal([(LogLevel.Debug, 1)], Events(logs));
        Assert.Contains("HTTP GET /beta/me/devices/d/commands/c answered 200", logs.Entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_logs_at_information_with_its_reason_and_delay_and_the_success_at_debug()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "2")).Always(HttpStatusCode.OK, """{"id":"c"}""");
        var (client, logs) = Client(handler, clock);

        await clock.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal([(LogLevel.Information, 3), (LogLevel.Debug, 1)], Events(logs));
        Assert.Contains("in 2000 ms because the service answered 503", logs.Entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_fails_for_good_with_an_answer_logs_a_warning()
    {
        var clock = new VirtualClock();
        var (client, logs) = Client(new ScriptedHandler(clock).Always(HttpStatusCode.NotFound, """{"error":{"code":"NotFound"}}"""), clock);

        await Assert.ThrowsAsync<ODataError>(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal([(LogLevel.Warning, 6)], Events(logs));
    }

    [Fact]
    public async Task A_request_that_gets_no_answer_logs_a_warning_after_its_retries()
    {
        var clock = new VirtualClock();
        var (client, logs) = Client(new ScriptedHandler(clock).Throw(new HttpRequestException("reset")).Throw(new HttpRequestException("reset again")), clock, maxRetries: 1);

        await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync()));

        Assert.Equal([(LogLevel.Information, 3), (LogLevel.Warning, 2)], Events(logs));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_warning()
    {
        var clock = new VirtualClock();
        var (client, logs) = Client(new ScriptedHandler(clock).AlwaysHang(), clock);
        using var cts = new CancellationTokenSource();

        var call = client.Me.Devices["d"].Commands["c"].GetAsync(cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task A_wait_logs_its_status_changes_at_information_and_its_polls_at_debug()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Status("requesting", "requesting", "executing", "completed");
        var (client, logs) = Client(handler, clock);

        await clock.RunAsync(() => client.Me.Devices["d"].Commands[handler.CommandId].WaitForCompletionAsync(new CommandWaitOptions { JitterSeed = 1 }));

        Assert.Equal(["requesting", "executing", "completed"], logs.Entries.Where(e => e.EventId.Id == 5).Select(e => e.State.Single(p => p.Key == "Status").Value));
        Assert.All(logs.Entries.Where(e => e.EventId.Id == 5), e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Equal(4, logs.Entries.Count(e => e.EventId.Id == 1 && e.Level == LogLevel.Debug));
        Assert.Equal(7, logs.Entries.Count);
    }
}
