using System.Net;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;
using DeviceCommands.Testing;
using Polly;
using Polly.Simmy;

namespace DeviceCommands.Client.Tests.Transport;

public class ResilienceHandlerTests
{
    private const string Status = """{"id":"c","status":"executing"}""";

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_get_that_always_fails_transiently_is_sent_MaxRetries_plus_one_times_then_throws_the_last_ODataError(int status)
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always((HttpStatusCode)status, """{"error":{"code":"Busy","message":"try later"}}""");

        var error = await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync()));

        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(status, error.ResponseStatusCode);
        Assert.Equal("Busy", error.Error?.Code);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(5, 6)]
    public async Task MaxRetries_bounds_the_attempts_exactly(int maxRetries, int attempts)
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.ServiceUnavailable);

        await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: maxRetries).Me.Devices.GetAsync()));

        Assert.Equal(attempts, handler.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(501)]
    public async Task A_get_that_fails_permanently_is_sent_once(int status)
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always((HttpStatusCode)status);

        var error = await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync()));

        Assert.Single(handler.Requests);
        Assert.Equal(status, error.ResponseStatusCode);
    }

    [Fact]
    public async Task A_get_recovers_when_a_retry_succeeds()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Answer(HttpStatusCode.ServiceUnavailable).Throw(new HttpRequestException("reset")).Answer(HttpStatusCode.OK, Status);

        var command = await clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal(ActionStatus.Executing, command?.Status);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    public async Task A_post_that_fails_with_a_server_error_is_sent_exactly_once(int status)
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always((HttpStatusCode)status);

        await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")))));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_post_that_fails_on_the_network_is_sent_exactly_once()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Throw(new HttpRequestException("reset")).Always(HttpStatusCode.Created, Status);

        var error = await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")))));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_post_that_times_out_is_sent_exactly_once()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).AlwaysHang();

        var error = await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")))));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_post_throttled_with_429_is_retried_because_the_service_did_not_accept_it()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.TooManyRequests, "{}", ("Retry-After", "2"))
            .Answer(HttpStatusCode.Created, Status);

        var command = await clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));

        Assert.Equal("c", command?.Id);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Post, r.Method));
        Assert.True(handler.Requests[1].At - handler.Requests[0].At >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_honoured()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "7"))
            .Answer(HttpStatusCode.OK, Status);

        await clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync());

        var gap = handler.Requests[1].At - handler.Requests[0].At;
        Assert.InRange(gap, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7.5));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_read_against_the_time_provider()
    {
        var clock = new VirtualClock();
        var at = clock.GetUtcNow().AddSeconds(12);
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.TooManyRequests, configure: r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(at))
            .Answer(HttpStatusCode.OK, Status);

        await clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.InRange(handler.Requests[1].At, at, at.AddSeconds(0.5));
    }

    [Fact]
    public async Task Retry_after_ms_is_honoured()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.TooManyRequests, "{}", ("retry-after-ms", "3500"))
            .Answer(HttpStatusCode.OK, Status);

        await clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.InRange(handler.Requests[1].At - handler.Requests[0].At, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_bound_ends_the_retries_with_the_error()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.TooManyRequests, configure: r => r.Headers.Add("Retry-After", "3600"));

        var error = await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync()));

        Assert.Single(handler.Requests);
        Assert.Equal(429, error.ResponseStatusCode);
    }

    [Fact]
    public async Task Without_retry_after_the_backoff_grows_from_the_retry_delay()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.ServiceUnavailable);

        await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => TestClients.Created(handler, o => o.RetryDelay = TimeSpan.FromSeconds(2), clock: clock, maxRetries: 3).Me.Devices.GetAsync()));

        var gaps = handler.Requests.Zip(handler.Requests.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.Equal(3, gaps.Count);
        Assert.All(gaps, g => Assert.True(g > TimeSpan.Zero && g <= TimeSpan.FromSeconds(60), g.ToString()));
        Assert.True(gaps.Sum(g => g.TotalSeconds) >= 2, string.Join(", ", gaps));
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_and_a_get_is_retried()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Hang().Answer(HttpStatusCode.OK, Status);

        var command = await clock.RunAsync(() => TestClients.Created(handler, o => o.AttemptTimeout = TimeSpan.FromSeconds(10), clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("c", command?.Id);
        Assert.Equal(2, handler.Requests.Count);
        Assert.True(handler.Requests[1].At - handler.Requests[0].At >= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Exhausted_attempt_timeouts_surface_as_an_ApiException_with_the_TimeoutException_inside_not_cancellation()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).AlwaysHang();

        var error = await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => TestClients.Created(handler, o => o.AttemptTimeout = TimeSpan.FromSeconds(5), clock: clock, maxRetries: 2).Me.Devices.GetAsync()));

        Assert.Equal(3, handler.Requests.Count);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal("GET /beta/me/devices failed before an answer came: The request did not complete within the attempt timeout of 00:00:05.", error.Message);
    }

    [Fact]
    public async Task The_callers_cancellation_surfaces_as_OperationCanceledException_and_stops_retrying()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.ServiceUnavailable, configure: r => r.Headers.Add("Retry-After", "30"));
        using var cts = new CancellationTokenSource();

        var call = TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices["d"].Commands["c"].GetAsync(cancellationToken: cts.Token);
        clock.Advance(TimeSpan.FromSeconds(1));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Exhausted_network_failures_on_a_get_surface_as_an_ApiException_with_the_last_HttpRequestException_never_an_AggregateException()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Throw(new HttpRequestException("a")).Throw(new HttpRequestException("b")).Throw(new HttpRequestException("c")).Throw(new HttpRequestException("last"));

        var error = await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => TestClients.Created(handler, clock: clock, maxRetries: 3).Me.Devices.GetAsync()));

        Assert.Equal("last", Assert.IsType<HttpRequestException>(error.InnerException).Message);
        Assert.Equal("GET /beta/me/devices failed before an answer came: last.", error.Message);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_retry_keeps_the_client_request_id_and_a_new_request_gets_a_new_one()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Answer(HttpStatusCode.TooManyRequests).Always(HttpStatusCode.Created, Status);
        var client = TestClients.Created(handler, clock: clock, maxRetries: 3);

        await clock.RunAsync(() => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));
        await clock.RunAsync(() => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));

        Assert.Equal(3, handler.Requests.Count);
        Assert.True(Guid.TryParse(handler.Requests[0].ClientRequestId, out _));
        Assert.Equal(handler.Requests[0].ClientRequestId, handler.Requests[1].ClientRequestId);
        Assert.NotEqual(handler.Requests[0].ClientRequestId, handler.Requests[2].ClientRequestId);
    }

    [Fact]
    public async Task Users_can_add_their_own_polly_strategies_inside_the_client_retry()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, Status);
        var injected = 0;

        var client = TestClients.Created(handler, o => o.ConfigureResilience = builder => builder.AddChaosOutcome(new Polly.Simmy.Outcomes.ChaosOutcomeStrategyOptions<HttpResponseMessage>
        {
            InjectionRate = 1,
            EnabledGenerator = _ => ValueTask.FromResult(Interlocked.Increment(ref injected) <= 2),
            OutcomeGenerator = _ => ValueTask.FromResult<Outcome<HttpResponseMessage>?>(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))),
        }), clock: clock, maxRetries: 3);

        var command = await clock.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("c", command?.Id);
        Assert.Single(handler.Requests);
        Assert.Equal(3, injected);
    }
}
