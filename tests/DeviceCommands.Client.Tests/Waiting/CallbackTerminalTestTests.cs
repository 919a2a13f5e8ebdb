using System.Text;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// A callback only wakes its wait: the wait's terminal tests never run on a callback's body (a forged body cannot make
/// the receiver run the caller's code), and they judge what the GET that the callback asked for reads, inside the wait.
/// </summary>
public sealed class CallbackTerminalTestTests
{
    private const string CommandId = "cmd-1";

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly DeviceCommandsClient _client;
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/callbacks"));
    private readonly string _key = CommandCallbackReceiver.NewKey();
    private readonly DateTimeOffset _start;
    private readonly List<string> _receipts = [];
    private readonly List<string?> _judged = [];

    public CallbackTerminalTestTests()
    {
        _handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        _client = TestClients.Created(_handler, clock: _clock);
        _start = _clock.GetUtcNow();
    }

    /// <summary>What the caller's terminal test throws here.</summary>
    private sealed class CallerException() : Exception("the caller's terminal test failed");

    private IEnumerable<double> PollSeconds => _handler.PollTimes.Select(t => (t - _start).TotalSeconds);

    /// <summary>Delivers a callback with <paramref name="body"/> at <paramref name="after"/>, noting what Receive made of it (or threw).</summary>
    private void CallBackAt(TimeSpan after, string body) =>
        _clock.CreateTimer(
            _ =>
            {
                try
                {
                    _receipts.Add(_receiver.Receive(_key, Encoding.UTF8.GetBytes(body)).ToString());
                }
                catch (Exception e)
                {
                    _receipts.Add(e.GetType().Name);
                }
            },
            null,
            after,
            Timeout.InfiniteTimeSpan);

    /// <summary>Resumes a fresh wait (deadline 30 s) with callbacks on and a terminal test that throws on "archived".</summary>
    private Task<CommandWaitResult> Wait()
    {
        var checkpoint = new CommandWaitCheckpoint("dev-1", CommandId, 0, _start, _start + TimeSpan.FromSeconds(30)) { CallbackKey = _key };
        var options = new CommandWaitOptions
        {
            Callbacks = _receiver,
            TimeProvider = _clock,
            JitterSeed = 3,
            IsTerminalCommand = c =>
            {
                _judged.Add(c.RawStatus);
                return c.RawStatus == "archived" ? throw new CallerException() : c.RawStatus == "delivered";
            },
        };
        return Task.Run(() => _clock.RunAsync(() => _client.ResumeWaitAsync(checkpoint, options))).WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_callback_body_is_not_judged_by_the_terminal_test_its_get_is_and_the_tests_exception_reaches_the_caller()
    {
        _handler.Status("executing", "archived");
        CallBackAt(TimeSpan.FromSeconds(2), """{"status":"archived"}""");

        await Assert.ThrowsAsync<CallerException>(Wait);

        Assert.Equal([nameof(CallbackReceipt.Accepted)], _receipts);
        Assert.Equal([0, 2], PollSeconds);
        Assert.Equal(["executing", "archived"], _judged);
        Assert.Equal(0, _receiver.ActiveWaits);
    }

    [Fact]
    public async Task With_a_terminal_test_of_its_own_a_wait_polls_on_a_callback_that_claims_a_built_in_non_terminal_status()
    {
        _handler.Status("executing", "delivered");
        CallBackAt(TimeSpan.FromSeconds(2), $$"""{"id":"{{CommandId}}","status":"executing"}""");

        var result = await Wait();

        Assert.Equal("delivered", result.Command.RawStatus);
        Assert.Equal([nameof(CallbackReceipt.Accepted)], _receipts);
        Assert.Equal([0, 2], PollSeconds);
        Assert.Equal(["executing", "delivered"], _judged);
    }
}
