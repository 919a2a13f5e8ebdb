using System.Net;
using System.Text;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// Callbacks that arrive late in a wait: after its last scheduled poll time (the final tenth of the timeout, at most
/// 1 s, before the deadline) or while a <c>Retry-After</c> points past the deadline. Each one still makes one GET,
/// bounded by the time left, and the wait never spins: it completes, or times out at the deadline.
/// </summary>
public sealed class CommandPollerCallbacksTests
{
    private const string DeviceId = "dev-1";
    private const string CommandId = "cmd-1";

    /// <summary>The timeout of every wait here: its last scheduled poll is at 9 s, its deadline at 10 s.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A real-time bound on a run, so that a wait that spins fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(20);

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly DeviceCommandsClient _client;
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/callbacks"));
    private readonly string _key = CommandCallbackReceiver.NewKey();
    private readonly DateTimeOffset _start;

    public CommandPollerCallbacksTests()
    {
        _handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        _client = TestClients.Created(_handler, clock: _clock);
        _start = _clock.GetUtcNow();
    }

    private DateTimeOffset Deadline => _start + Timeout;

    private IEnumerable<TimeSpan> PollTimes => _handler.PollTimes.Select(t => t - _start);

    /// <summary>Delivers a callback claiming <paramref name="status"/> at <paramref name="after"/> from the start.</summary>
    private void CallBackAt(TimeSpan after, string status = "completed") =>
        _clock.CreateTimer(_ => _receiver.Receive(_key, Encoding.UTF8.GetBytes($$"""{"id":"{{CommandId}}","status":"{{status}}"}""")), null, after, System.Threading.Timeout.InfiniteTimeSpan);

    private CommandWaitCheckpoint Checkpoint => new(DeviceId, CommandId, 0, _start, Deadline) { CallbackKey = _key };

    private CommandWaitOptions Options => new() { Callbacks = _receiver, TimeProvider = _clock, JitterSeed = 3 };

    /// <summary>Resumes a fresh wait (no poll yet, deadline 10 s) with callbacks on, bounded in real time.</summary>
    private Task<CommandWaitResult> Wait() =>
        Task.Run(() => _clock.RunAsync(() => _client.ResumeWaitAsync(Checkpoint, Options))).WaitAsync(Hung);

    [Fact]
    public async Task A_callback_after_the_last_poll_time_makes_one_get_that_can_complete_the_wait()
    {
        _handler.Status("executing", "executing", "completed");
        CallBackAt(TimeSpan.FromMilliseconds(9500));

        var result = await Wait();

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(9), TimeSpan.FromMilliseconds(9500)], PollTimes);
        Assert.Equal(TimeSpan.FromMilliseconds(9500), result.Elapsed);
        Assert.Equal(0, _receiver.ActiveWaits);
    }

    [Fact]
    public async Task A_callback_after_the_last_poll_time_whose_get_reads_no_end_times_out_at_the_deadline()
    {
        _handler.Status("executing");
        CallBackAt(TimeSpan.FromMilliseconds(9500));

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(Wait);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(9), TimeSpan.FromMilliseconds(9500)], PollTimes);
        Assert.Equal(3, e.Polls);
        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
        Assert.Equal(Deadline, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_get_asked_for_by_a_late_callback_is_cut_at_the_deadline()
    {
        _handler.Status("executing", "executing").Hang();
        CallBackAt(TimeSpan.FromMilliseconds(9900));

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(Wait);

        Assert.Equal(3, e.Polls);
        Assert.Equal(Deadline, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Callbacks_at_and_after_the_deadline_make_no_get()
    {
        _handler.Status("executing");
        CallBackAt(Timeout);
        CallBackAt(Timeout + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<CommandWaitTimeoutException>(Wait);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(9)], PollTimes);
        Assert.Equal(Deadline, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_callback_while_a_retry_after_points_past_the_deadline_makes_one_get()
    {
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("executing", CommandId), ("Retry-After", "60")).Status("completed");
        CallBackAt(TimeSpan.FromSeconds(4));

        var result = await Wait();

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(4)], PollTimes);
    }

    [Fact]
    public async Task A_late_callback_while_a_retry_after_points_past_the_deadline_makes_one_get_then_the_wait_times_out()
    {
        _handler.Answer(HttpStatusCode.OK, ScriptedHandler.Body("executing", CommandId), ("Retry-After", "60")).Status("executing");
        CallBackAt(TimeSpan.FromMilliseconds(9500));

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(Wait);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(9500)], PollTimes);
        Assert.Equal(2, e.Polls);
        Assert.Equal(Deadline, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_flood_of_late_callbacks_makes_a_few_spaced_gets_and_the_wait_still_ends_at_the_deadline()
    {
        _handler.Status("executing");
        for (var i = 0; i < 100; i++)
        {
            CallBackAt(TimeSpan.FromMilliseconds(9100 + (8 * i)));
        }

        await Assert.ThrowsAsync<CommandWaitTimeoutException>(Wait);

        // spaced 100, 200, 400 ms after the first callback's GET at 9.1 s: 9.2, 9.4, 9.8 s
        Assert.Equal([0, 9000, 9100, 9200, 9400, 9800], PollTimes.Select(t => t.TotalMilliseconds));
        Assert.Equal(Deadline, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_checkpoint_resumed_twice_at_once_makes_two_waits_that_one_callback_wakes_both()
    {
        _handler.Respond = _ => ScriptedHandler.Response(HttpStatusCode.OK, ScriptedHandler.Body(_clock.GetUtcNow() < _start + TimeSpan.FromSeconds(5) ? "executing" : "completed", CommandId));
        CallBackAt(TimeSpan.FromSeconds(5));
        var checkpoint = Checkpoint;

        var results = await Task.Run(() => _clock.RunAsync(() => Task.WhenAll(_client.ResumeWaitAsync(checkpoint, Options), _client.ResumeWaitAsync(checkpoint, Options)))).WaitAsync(Hung);

        Assert.All(results, r => Assert.Equal(ActionStatus.Completed, r.Status));
        Assert.All(results, r => Assert.Equal(TimeSpan.FromSeconds(5), r.Elapsed));
        Assert.Equal([0, 0, 5, 5], PollTimes.Select(t => t.TotalSeconds));
        Assert.Equal(0, _receiver.ActiveWaits);
    }
}
