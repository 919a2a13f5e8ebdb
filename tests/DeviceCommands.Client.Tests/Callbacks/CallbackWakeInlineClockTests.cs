using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Callbacks;

/// <summary>
/// On a clock that runs a timer due now as it is made (as <c>FakeTimeProvider</c> does), a callback still only wakes
/// its wait: the wait's GET and the caller's terminal test run outside <see cref="CommandCallbackReceiver.Receive"/>,
/// and a later callback wakes the wait again.
/// </summary>
public sealed class CallbackWakeInlineClockTests
{
    [ThreadStatic]
    private static bool t_inReceive;

    /// <summary>The system clock, except that a timer due now fires at once, on the caller's thread; tells when a wait sleeps.</summary>
    private sealed class InlineClock : TimeProvider
    {
        /// <summary>Released each time the wait goes to sleep before its next poll.</summary>
        public SemaphoreSlim Sleeping { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == TimeSpan.Zero)
            {
                callback(state);
                return System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            var timer = System.CreateTimer(callback, state, dueTime, period);
            if (state is TaskCompletionSource)
            {
                Sleeping.Release(); // the wait's sleep before its next poll (the timers of a GET hold other states)
            }

            return timer;
        }
    }

    [Fact]
    public async Task Callbacks_wake_the_wait_each_time_without_running_its_get_or_terminal_test_inside_Receive()
    {
        var clock = new InlineClock();
        var polledInReceive = 0;
        var handler = new ScriptedHandler(clock, "cmd-1") { GetsOnly = true, OnEachPoll = () => polledInReceive += t_inReceive ? 1 : 0 }.Status("executing", "executing", "completed");
        var client = TestClients.Created(handler, clock: clock);
        var receiver = new CommandCallbackReceiver(new Uri("http://127.0.0.1:5000/callbacks"));
        var key = CommandCallbackReceiver.NewKey();
        var start = clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint("dev-1", "cmd-1", 0, start, start + TimeSpan.FromMinutes(5)) { CallbackKey = key };
        var judgedInReceive = 0;
        var options = new CommandWaitOptions
        {
            Callbacks = receiver,
            TimeProvider = clock,
            IsTerminalCommand = c =>
            {
                if (t_inReceive)
                {
                    Interlocked.Increment(ref judgedInReceive);
                }

                return false;
            },
        };
        var wait = client.ResumeWaitAsync(checkpoint, options);
        List<CallbackReceipt> receipts = [];
        for (var callback = 0; callback < 2; callback++)
        {
            Assert.True(await clock.Sleeping.WaitAsync(TimeSpan.FromSeconds(20)), "the wait never slept");
            t_inReceive = true;
            try
            {
                receipts.Add(receiver.Receive(key, """{"id":"cmd-1","status":"completed"}"""u8));
            }
            finally
            {
                t_inReceive = false;
            }
        }

        // the second callback's GET is 100 ms after the first one's; without it, the next poll is 8 s or more away
        var result = await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([CallbackReceipt.Accepted, CallbackReceipt.Accepted], receipts);
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, handler.PollTimes.Count);
        Assert.Equal(0, polledInReceive);
        Assert.Equal(0, judgedInReceive);
    }
}
