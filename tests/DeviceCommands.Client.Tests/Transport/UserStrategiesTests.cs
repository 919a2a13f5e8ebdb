using System.Net;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions;
using Polly;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// The user's Polly strategies (<see cref="DeviceCommandsClientOptions.ConfigureResilience"/>), kept apart from the retry
/// layer so that a client without them never loads Polly: the option reads back what was set, a client works with none
/// and with some, and a timeout strategy of theirs still counts as an attempt timeout.
/// </summary>
public class UserStrategiesTests
{
    private const string Status = """{"id":"c","status":"executing"}""";

    [Fact]
    public void ConfigureResilience_reads_back_the_delegate_it_was_given_and_a_copy_of_the_options_keeps_it()
    {
        Action<ResiliencePipelineBuilder<HttpResponseMessage>> configure = builder => builder.AddTimeout(TimeSpan.FromSeconds(1));
        var options = new DeviceCommandsClientOptions();
        Assert.Null(options.ConfigureResilience);

        options.ConfigureResilience = configure;

        Assert.Same(configure, options.ConfigureResilience);
        Assert.Same(configure, options.Clone().ConfigureResilience);
        options.ConfigureResilience = null;
        Assert.Null(options.ConfigureResilience);
    }

    [Fact]
    public async Task A_client_without_strategies_and_one_with_an_empty_set_both_read()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, Status);

        var none = await clock.RunAsync(() => TestClients.Created(handler, clock: clock).Me.Devices["d"].Commands["c"].GetAsync());
        var empty = await clock.RunAsync(() => TestClients.Created(handler, o => o.ConfigureResilience = _ => { }, clock: clock).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("c", none?.Id);
        Assert.Equal("c", empty?.Id);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_timeout_strategy_that_ends_an_attempt_counts_as_an_attempt_timeout_and_a_get_is_retried()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Hang().Answer(HttpStatusCode.OK, Status);

        var command = await clock.RunAsync(() => TestClients.Created(handler, o => o.ConfigureResilience = b => b.AddTimeout(TimeSpan.FromSeconds(2)), clock: clock, maxRetries: 1)
            .Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("c", command?.Id);
        Assert.Equal(2, handler.Requests.Count);
        Assert.True(handler.Requests[1].At - handler.Requests[0].At >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Exhausted_timeouts_of_a_timeout_strategy_surface_as_an_ApiException_with_a_TimeoutException_inside()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).AlwaysHang();

        var error = await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => TestClients.Created(handler, o => o.ConfigureResilience = b => b.AddTimeout(TimeSpan.FromSeconds(2)), clock: clock, maxRetries: 1)
            .Me.Devices["d"].Commands["c"].GetAsync()));

        Assert.Equal(2, handler.Requests.Count);
        var timeout = Assert.IsType<TimeoutException>(error.InnerException);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(timeout.InnerException);
    }
}
