using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// What a timeout reports: the last status seen (the one a resumed wait's checkpoint recorded, when no poll since read
/// the command), and, when the last poll failed or ran out of time, that failure inside, never a bare cancellation.
/// </summary>
public sealed class CommandWaitTimeoutExceptionTests
{
    private const string DeviceId = "dev-1";
    private const string CommandId = "cmd-1";

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly DeviceCommandsClient _client;

    public CommandWaitTimeoutExceptionTests()
    {
        _handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        _client = TestClients.Created(_handler, clock: _clock);
    }

    private CommandWaitOptions Options => new() { TimeProvider = _clock, JitterSeed = 5 };

    /// <summary>A wait started 8 s ago with a 10 s timeout, 5 polls done, the last read <c>executing</c>, its next poll at <paramref name="nextPollIn"/>.</summary>
    private CommandWaitCheckpoint Checkpoint(TimeSpan nextPollIn)
    {
        var now = _clock.GetUtcNow();
        return new CommandWaitCheckpoint(DeviceId, CommandId, 5, now - TimeSpan.FromSeconds(8), now + TimeSpan.FromSeconds(2), now + nextPollIn, "executing");
    }

    [Fact]
    public async Task A_resumed_wait_that_reads_nothing_new_reports_the_status_its_checkpoint_recorded()
    {
        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => _client.ResumeWaitAsync(Checkpoint(TimeSpan.FromSeconds(5)), Options)));

        Assert.Empty(_handler.Requests);
        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
        Assert.Equal("executing", e.LastObserved?.RawStatus);
        Assert.Equal(CommandId, e.LastObserved?.Id);
        Assert.Equal(5, e.Polls);
        Assert.Equal("Command 'cmd-1' did not reach a terminal status before the wait's deadline: its last status was 'executing', recorded by the checkpoint the wait was resumed from (after 5 poll(s)); no poll since read the command, 5 poll(s) in all. The command was not cancelled.", e.Message);
    }

    [Fact]
    public async Task A_resumed_wait_whose_polls_fail_reports_the_checkpoints_status_and_the_last_failure()
    {
        _handler.Always(HttpStatusCode.ServiceUnavailable, null);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => _client.ResumeWaitAsync(Checkpoint(TimeSpan.Zero), Options)));

        Assert.True(e.Polls > 5, $"{e.Polls} polls");
        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
        Assert.Equal(503, Assert.IsAssignableFrom<ApiException>(e.InnerException).ResponseStatusCode);
        Assert.Contains("recorded by the checkpoint the wait was resumed from (after 5 poll(s)); no poll since read the command", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_at_the_deadline_past_the_last_poll_time_reports_the_status_its_checkpoint_recorded()
    {
        var checkpoint = Checkpoint(TimeSpan.FromMilliseconds(1500));
        _clock.Advance(checkpoint.Deadline!.Value - _clock.GetUtcNow());

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _client.PollOnceAsync(checkpoint, Options));

        Assert.Empty(_handler.Requests);
        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
    }

    [Fact]
    public async Task A_resumed_wait_that_reads_a_new_status_reports_that_one()
    {
        _handler.Status("sentToTarget");

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => _client.ResumeWaitAsync(Checkpoint(TimeSpan.Zero), Options)));

        Assert.Equal(ActionStatus.SentToTarget, e.LastObserved?.Status);
        Assert.DoesNotContain("checkpoint", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30_000, 5_000, 2)] // the deadline cuts the first attempt
    [InlineData(2_000, 5_000, 1)] // the deadline cuts a retry of the first poll
    [InlineData(1_000, 1_000, 2)] // the attempt timeout and the deadline at the same instant
    [InlineData(1_000, 5_000, 2)]
    [InlineData(1_000, 5_000, 0)] // polls end by their attempt timeout, and the deadline cuts the last one
    public async Task Against_a_server_that_never_answers_the_timeout_holds_the_last_attempts_timeout(int attemptMs, int timeoutMs, int retries)
    {
        _handler.AlwaysHang();
        var client = TestClients.Created(_handler, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(attemptMs), clock: _clock, maxRetries: retries);
        var options = Options;
        options.Timeout = TimeSpan.FromMilliseconds(timeoutMs);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => client.Me.Devices[DeviceId].Commands[CommandId].WaitForCompletionAsync(options)));

        var inner = Assert.IsAssignableFrom<ApiException>(e.InnerException);
        Assert.IsType<TimeoutException>(inner.InnerException);
        Assert.Contains("The last poll failed: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(VirtualClock.DefaultStart + options.Timeout, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_handler_that_fails_with_its_own_timeout_as_the_deadline_comes_gives_the_same_shape()
    {
        // the deadline comes while the handler runs, and the handler then fails with a timeout of its own
        _handler.Otherwise(Reply.From((_, _) =>
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            throw new TimeoutException("the handler's own timeout");
        }));
        var options = Options;
        options.Timeout = TimeSpan.FromSeconds(5);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _client.Me.Devices[DeviceId].Commands[CommandId].WaitForCompletionAsync(options));

        var inner = Assert.IsAssignableFrom<ApiException>(e.InnerException);
        Assert.IsType<TimeoutException>(inner.InnerException);
        Assert.Equal("the handler's own timeout", inner.InnerException.InnerException?.Message);
    }

    [Fact]
    public async Task A_poll_cut_by_the_deadline_says_so()
    {
        _handler.AlwaysHang();
        var options = Options;
        options.Timeout = TimeSpan.FromSeconds(5);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => _client.Me.Devices[DeviceId].Commands[CommandId].WaitForCompletionAsync(options)));

        Assert.Equal("Command 'cmd-1' did not reach a terminal status before the wait's deadline: nothing was observed after 1 poll(s). The command was not cancelled. The last poll failed: The status GET of command 'cmd-1' (poll 1) did not complete before the wait's deadline: it was still being sent, retried or answered.", e.Message);
        Assert.IsAssignableFrom<OperationCanceledException>(e.InnerException?.InnerException?.InnerException);
    }

    [Fact]
    public async Task A_resumed_wait_with_no_time_left_counts_no_poll_it_could_not_send()
    {
        var now = _clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint(DeviceId, CommandId, 3, now - TimeSpan.FromSeconds(10), now, null, "executing");
        using var wire = new WireHandler();
        var client = TestClients.Created(wire, clock: _clock);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => client.ResumeWaitAsync(checkpoint, Options)));

        Assert.Equal(0, wire.Sent);
        Assert.Equal(3, e.Polls);
        Assert.Contains("3 poll(s) in all", e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    /// <summary>A transport that, as a socket handler does, sends nothing for a request already cancelled, and never answers one it sent.</summary>
    private sealed class WireHandler : HttpMessageHandler
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _sent);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable: an infinite delay ends only by cancellation");
        }
    }
}
