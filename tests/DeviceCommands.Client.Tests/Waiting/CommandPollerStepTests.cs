using System.Net;
using System.Text;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// A durable engine's step (<c>PollOnceAsync</c>) once a <c>Retry-After</c> has left no poll before the deadline: a
/// callback's step still makes one GET under the time left; a step at the deadline throws without a request.
/// </summary>
public sealed class CommandPollerStepTests
{
    private const string DeviceId = "dev-1";
    private const string CommandId = "cmd-1";

    private readonly VirtualClock _clock = new();
    private readonly ScriptedHandler _handler;
    private readonly DeviceCommandsClient _client;

    public CommandPollerStepTests()
    {
        _handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        _client = TestClients.Created(_handler, clock: _clock);
    }

    private CommandWaitOptions Options => new() { TimeProvider = _clock, JitterSeed = 3, Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>A checkpoint with a callback key, after a first step that read <c>executing</c> with a Retry-After past the deadline.</summary>
    private async Task<CommandWaitCheckpoint> StepLeavingNoPollAsync()
    {
        var start = CommandWaitCheckpoint.Start(DeviceId, CommandId, Options);
        var keyed = new CommandWaitCheckpoint(start.DeviceId, start.CommandId, 0, start.StartedAt, start.Deadline) { CallbackKey = CommandCallbackReceiver.NewKey() };
        var first = await _client.PollOnceAsync(keyed, Options);
        Assert.Equal(keyed.Deadline, first.NextPollAt);
        return first.Checkpoint;
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(2500)]
    [InlineData(2800)]
    public async Task A_callback_before_the_deadline_makes_one_GET_though_a_Retry_After_left_no_poll(int callbackAtMs)
    {
        _handler.Answer(HttpStatusCode.OK, """{"id":"cmd-1","status":"executing"}""", ("Retry-After", "100000")).Status("completed");
        var checkpoint = await StepLeavingNoPollAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(callbackAtMs));
        Assert.True(checkpoint.CallsForPoll(Encoding.UTF8.GetBytes("""{"id":"cmd-1","status":"completed"}"""), Options));

        var step = await _client.PollOnceAsync(checkpoint, Options);

        Assert.True(step.IsCompleted);
        Assert.Equal(ActionStatus.Completed, step.Result!.Status);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task A_step_at_the_deadline_after_a_Retry_After_that_left_no_poll_throws_without_a_request()
    {
        _handler.Answer(HttpStatusCode.OK, """{"id":"cmd-1","status":"executing"}""", ("Retry-After", "100000")).Status("completed");
        var checkpoint = await StepLeavingNoPollAsync();
        _clock.Advance(checkpoint.NextPollAt!.Value - _clock.GetUtcNow());

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _client.PollOnceAsync(checkpoint, Options));

        Assert.Single(_handler.Requests);
        Assert.Equal(1, e.Polls);
        Assert.Equal("executing", e.LastObserved?.RawStatus);
        Assert.Contains("its last status was 'executing'", e.Message, StringComparison.Ordinal);
    }
}
