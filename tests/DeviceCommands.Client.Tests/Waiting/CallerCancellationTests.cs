using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>
/// A wait the caller cancels throws an <see cref="OperationCanceledException"/> carrying the caller's own token, even
/// when the cancellation reached it through a request's linked token, so <c>when (e.CancellationToken == ct)</c> works.
/// </summary>
public sealed class CallerCancellationTests
{
    private readonly VirtualClock _clock = new();

    [Theory]
    [InlineData("wait")]
    [InlineData("send")]
    [InlineData("resume")]
    [InlineData("poll")]
    [InlineData("watch")]
    public async Task A_wait_cancelled_by_the_caller_during_a_request_throws_with_the_callers_token(string operation)
    {
        using var cts = new CancellationTokenSource();
        using var handler = new CancellingHandler(cts);
        var client = TestClients.Created(handler, clock: _clock);
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 1 };
        var checkpoint = CommandWaitCheckpoint.Start("dev-1", "cmd-1", options);

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => operation switch
        {
            "wait" => client.Me.Devices["dev-1"].Commands["cmd-1"].WaitForCompletionAsync(options, cts.Token),
            "send" => client.Me.Devices["dev-1"].Commands.SendAndWaitAsync(new Command { Type = "LaunchUri" }, options, cts.Token),
            "resume" => client.ResumeWaitAsync(checkpoint, options, cts.Token),
            "poll" => client.PollOnceAsync(checkpoint, options, cts.Token),
            _ => Drain(client.Me.Devices["dev-1"].Commands["cmd-1"].WatchAsync(options, cts.Token)),
        });

        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(1, handler.Sent);
    }

    private static async Task Drain(IAsyncEnumerable<Command> commands)
    {
        await foreach (var _ in commands)
        {
        }
    }

    /// <summary>A transport that cancels the caller's token when a request arrives, then answers nothing until that request is cancelled.</summary>
    private sealed class CancellingHandler(CancellationTokenSource caller) : HttpMessageHandler
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            await caller.CancelAsync().ConfigureAwait(false);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable: an infinite delay ends only by cancellation");
        }
    }
}
