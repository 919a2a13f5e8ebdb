using System.Diagnostics;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>A resumed wait with callbacks on gives the key it registered again back however it ends, even before its first poll.</summary>
public sealed class ResumeWaitCallbackKeyTests
{
    private static readonly AsyncLocal<bool> Armed = new();

    private readonly VirtualClock _clock = new();
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/callbacks"));

    /// <summary>What the caller's span listener throws here.</summary>
    private sealed class ListenerException() : Exception("the caller's span listener failed");

    [Fact]
    public async Task A_span_listener_that_throws_as_the_wait_starts_ends_it_and_gives_its_key_back()
    {
        var handler = new ScriptedHandler(_clock, "cmd-1") { GetsOnly = true }.Status("executing");
        var client = TestClients.Created(handler, clock: _clock);
        var key = CommandCallbackReceiver.NewKey();
        var start = _clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint("dev-1", "cmd-1", 0, start, start + TimeSpan.FromSeconds(30)) { CallbackKey = key };

        // only this test's flow is affected: the listener samples and throws only where Armed is set
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClientDiagnostics.Name,
            Sample = (ref _) => Armed.Value ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
            ActivityStarted = _ =>
            {
                if (Armed.Value)
                {
                    throw new ListenerException();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        Armed.Value = true;

        await Assert.ThrowsAsync<ListenerException>(() => _clock.RunAsync(() =>
            client.ResumeWaitAsync(checkpoint, new CommandWaitOptions { Callbacks = _receiver, TimeProvider = _clock })));

        Armed.Value = false;
        Assert.Empty(handler.PollTimes);
        Assert.Equal(0, _receiver.ActiveWaits);
        Assert.Equal(CallbackReceipt.UnknownKey, _receiver.Receive(key, "{}"u8));
    }
}
