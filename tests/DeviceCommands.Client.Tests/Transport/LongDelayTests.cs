using System.Globalization;
using System.Net;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>Delays longer than one timer can take (about 49.7 days) are slept in full, or cut by the caller, never an exception from a timer.</summary>
public class LongDelayTests
{
    private const string Status = """{"id":"c","status":"executing"}""";

    public static TheoryData<double> LongRetryAfterBounds() => new() { 400, TimeSpan.MaxValue.TotalDays };

    [Theory]
    [MemberData(nameof(LongRetryAfterBounds))]
    public async Task A_retry_after_in_seconds_past_the_longest_timer_is_slept_in_full(double maxDays)
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.TooManyRequests, "{}", ("Retry-After", (100 * 86400).ToString(CultureInfo.InvariantCulture)))
            .Answer(HttpStatusCode.OK, Status);

        var command = await clock.RunAsync(() => TestClients.Created(handler, o => o.MaxRetryAfter = Bound(maxDays), clock: clock, maxRetries: 1).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal(ActionStatus.Executing, command?.Status);
        Assert.InRange(handler.Requests[1].At - handler.Requests[0].At, TimeSpan.FromDays(100), TimeSpan.FromDays(100) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_retry_after_date_sixty_days_ahead_is_slept_until_that_date()
    {
        var clock = new VirtualClock();
        var at = clock.GetUtcNow().AddDays(60);
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.ServiceUnavailable, configure: r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(at))
            .Answer(HttpStatusCode.OK, Status);

        await clock.RunAsync(() => TestClients.Created(handler, o => o.MaxRetryAfter = TimeSpan.FromDays(400), clock: clock, maxRetries: 1).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.InRange(handler.Requests[1].At, at, at.AddSeconds(1));
    }

    [Fact]
    public async Task The_callers_token_ends_a_long_retry_sleep_with_OperationCanceledException()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.TooManyRequests, configure: r => r.Headers.Add("Retry-After", "8640000"));
        using var cts = new CancellationTokenSource(TimeSpan.FromDays(45), clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            clock.RunAsync(() => TestClients.Created(handler, o => o.MaxRetryAfter = TimeSpan.MaxValue, clock: clock, maxRetries: 1).Me.Devices["d"].Commands["c"].GetAsync(cancellationToken: cts.Token)));

        Assert.Single(handler.Requests);
        Assert.Equal(VirtualClock.DefaultStart.AddDays(45), clock.GetUtcNow());
    }

    [Fact]
    public async Task An_attempt_timeout_past_the_longest_timer_ends_the_attempt_at_its_own_time_not_earlier()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).AlwaysHang();

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            clock.RunAsync(() => TestClients.Created(handler, o => (o.MaxRetries, o.AttemptTimeout) = (0, TimeSpan.FromDays(60)), clock: clock, maxRetries: 1).Me.Devices["d"].Commands["c"].GetAsync()));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(VirtualClock.DefaultStart.AddDays(60), clock.GetUtcNow());
    }

    [Fact]
    public async Task A_wait_whose_timeout_is_past_the_longest_timer_times_out_at_its_deadline()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock).AlwaysHang();
        var client = TestClients.Created(handler, o => o.AttemptTimeout = Timeout.InfiniteTimeSpan, clock: clock, maxRetries: 1);

        await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => clock.RunAsync(() =>
            client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromDays(90) })));

        Assert.Equal(VirtualClock.DefaultStart.AddDays(90), clock.GetUtcNow());
        Assert.Single(handler.Requests);
    }

    private static TimeSpan Bound(double days) => days >= TimeSpan.MaxValue.TotalDays ? TimeSpan.MaxValue : TimeSpan.FromDays(days);
}
