using System.Net;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Diagnostics;

/// <summary>
/// The <c>DeviceCommands.Client</c> meter: each call's duration (retries included) by operation and outcome, the
/// retries, and the waits (duration, polls, outcome). Durations are on the client's clock, so a virtual one gives exact
/// figures. The meter is process-wide, so these tests run alone.
/// </summary>
[Collection(AllocationMeasured.Name)]
public sealed class ClientMetricsTests : IDisposable
{
    private readonly MetricCollector<double> _calls = new(null, "DeviceCommands.Client", "devicecommands.client.operation.duration");
    private readonly MetricCollector<long> _retries = new(null, "DeviceCommands.Client", "devicecommands.client.retries");
    private readonly MetricCollector<double> _waits = new(null, "DeviceCommands.Client", "devicecommands.client.wait.duration");
    private readonly MetricCollector<long> _polls = new(null, "DeviceCommands.Client", "devicecommands.client.wait.polls");
    private readonly VirtualClock _clock = new();

    public void Dispose()
    {
        _calls.Dispose();
        _retries.Dispose();
        _waits.Dispose();
        _polls.Dispose();
    }

    private DeviceCommandsClient Client(ScriptedHandler handler) =>
        DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = _clock });

    [Fact]
    public async Task A_call_records_its_whole_duration_retries_included_by_operation_and_outcome()
    {
        var handler = new ScriptedHandler(_clock).Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "3")).Always(HttpStatusCode.OK, """{"id":"c"}""");

        await _clock.RunAsync(() => Client(handler).Me.Devices["d"].Commands["c"].GetAsync());

        var call = Assert.Single(_calls.GetMeasurementSnapshot());
        Assert.Equal(3.0, call.Value);
        Assert.Equal("get_command", call.Tags["devicecommands.operation"]);
        Assert.Equal("success", call.Tags["devicecommands.outcome"]);
        var retry = Assert.Single(_retries.GetMeasurementSnapshot());
        Assert.Equal(1, retry.Value);
        Assert.Equal("GET", retry.Tags["http.request.method"]);
        Assert.Equal("503", retry.Tags["devicecommands.retry.reason"]);
    }

    [Fact]
    public async Task A_retry_after_a_timeout_strategy_of_ConfigureResilience_is_recorded_with_pollys_exception_as_its_reason()
    {
        var handler = new ScriptedHandler(_clock).Hang().Answer(HttpStatusCode.OK, """{"id":"c"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            HttpMessageHandler = handler,
            TimeProvider = _clock,
            ConfigureResilience = b => Polly.TimeoutResiliencePipelineBuilderExtensions.AddTimeout(b, TimeSpan.FromSeconds(2)),
        });

        await _clock.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        var retry = Assert.Single(_retries.GetMeasurementSnapshot());
        Assert.Equal("TimeoutRejectedException", retry.Tags["devicecommands.retry.reason"]);
    }

    [Fact]
    public async Task Each_operation_and_failure_has_its_own_tags()
    {
        var handler = new ScriptedHandler(_clock)
            .Answer(HttpStatusCode.OK, """{"value":[]}""")
            .Answer(HttpStatusCode.NotFound, """{"error":{"code":"NotFound"}}""")
            .Throw(new HttpRequestException("reset"))
            .Answer(HttpStatusCode.OK, "not json");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = _clock, MaxRetries = 0 });

        await client.Me.Devices.GetAsync();
        await Assert.ThrowsAsync<ODataError>(() => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));
        await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices["d"].Commands["c"].ResponsePayload.GetAsync());
        await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal(
            [("list_devices", "success", null), ("send_command", "http_error", "404"), ("get_response_payload", "transport_error", "System.Net.Http.HttpRequestException"), ("get_command", "invalid_response", "System.Text.Json.JsonReaderException")],
            _calls.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["devicecommands.operation"], (string?)m.Tags["devicecommands.outcome"], m.Tags.TryGetValue("error.type", out var type) ? (string?)type : null)));
        Assert.Equal(404, _calls.GetMeasurementSnapshot()[1].Tags["http.response.status_code"]);
    }

    [Fact]
    public async Task A_wait_records_its_duration_polls_and_outcome()
    {
        var handler = new ScriptedHandler(_clock).Status("requesting", "executing", "completed");
        var client = Client(handler);

        var result = await _clock.RunAsync(() => client.Me.Devices["d"].Commands[handler.CommandId].WaitForCompletionAsync(new CommandWaitOptions { JitterSeed = 3 }));
        await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() =>
            Client(new ScriptedHandler(_clock).Status("executing")).Me.Devices["d"].Commands["x"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(5) })));

        var waits = _waits.GetMeasurementSnapshot();
        Assert.Equal(["completed", "timed_out"], waits.Select(m => (string?)m.Tags["devicecommands.wait.outcome"]));
        Assert.Equal(result.Elapsed.TotalSeconds, waits[0].Value);
        Assert.Equal(5.0, waits[1].Value);
        Assert.Equal(3, _polls.GetMeasurementSnapshot()[0].Value);
    }
}
