using DeviceCommands.Client;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;

namespace DeviceCommands.IntegrationTests.Waiting;

/// <summary>
/// A wait with callbacks against the in-memory emulator posting back to the receiver, on virtual time (steps of 10 s:
/// a command on emu-laptop completes 30 s after its POST), whose command ends in the last tenth of its timeout, after
/// its last scheduled poll time: the terminal postback still makes the GET that sees the end.
/// </summary>
public sealed class CallbackNearDeadlineTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    /// <summary>A real-time bound on a run, so that a wait that spins fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(20);

    private readonly VirtualClock _clock = new();
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/device-commands/callbacks"));

    private async Task<(CommandWaitResult Result, int Gets)> SendAndWaitAsync(TimeSpan timeout)
    {
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = _clock, StepDelay = Step, PostBackHandler = _receiver.CreateHandler() });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = _clock });
        var options = new CommandWaitOptions { Callbacks = _receiver, Timeout = timeout, JitterSeed = 11 };
        var result = await Task.Run(() => _clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), options))).WaitAsync(Hung);
        return (result, emulator.GetRequests().Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_command_that_completes_200_ms_before_the_deadline_is_seen_at_its_postback()
    {
        // the last scheduled poll is at 29.2 s (a tenth of the timeout, at most 1 s, before the deadline); the command completes at 30 s
        var (result, _) = await SendAndWaitAsync(3 * Step + TimeSpan.FromMilliseconds(200));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3 * Step, result.Elapsed);
        Assert.Equal(0, _receiver.ActiveWaits);
    }

    [Fact]
    public async Task A_command_that_completes_just_after_the_deadline_times_out_at_the_deadline()
    {
        var timeout = 3 * Step - TimeSpan.FromMilliseconds(1);

        var e = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => SendAndWaitAsync(timeout));

        Assert.Equal(ActionStatus.Executing, e.LastObserved?.Status);
        Assert.Equal(VirtualClock.DefaultStart + timeout, _clock.GetUtcNow());
        Assert.Equal(0, _receiver.ActiveWaits);
    }
}
