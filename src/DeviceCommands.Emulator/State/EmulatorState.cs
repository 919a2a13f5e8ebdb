using Microsoft.Extensions.Logging;
using DeviceCommands.Emulator.Commands;
using DeviceCommands.Emulator.Faults;
using DeviceCommands.Emulator.PostBacks;

namespace DeviceCommands.Emulator.State;

/// <summary>Everything one emulator holds, shared by its pipeline, its endpoints and its public face.</summary>
internal sealed class EmulatorState
{
    // never disposed: requests still in flight read its token after the emulator is disposed (it has no timer)
    private readonly CancellationTokenSource _stopping = new();

    public EmulatorState(EmulatorOptions options)
    {
        Options = options;
        Store = new CommandStore(options.MaxCommands);
        Devices = new EmulatedDeviceCollection(options.EffectiveDevices);
        Script = new EmulatorScript(Store);
        Requests = new RequestLog(options.MaxRecordedRequests);
        Faults = new FaultInjector(options);
        LostAnswers = new LostAnswers(options);
        Logger = options.LoggerFactory?.CreateLogger("DeviceCommands.Emulator");
        PostBackSender = new PostBackSender(options, _stopping.Token);
        PostBacks = new PostBackFollower(options, _stopping.Token, PostBackSender);
    }

    /// <summary>The validated copy of the options.</summary>
    public EmulatorOptions Options { get; }

    public TimeProvider Time => Options.TimeProvider;

    public CommandStore Store { get; }

    public EmulatedDeviceCollection Devices { get; }

    public EmulatorScript Script { get; }

    public RequestLog Requests { get; }

    public FaultInjector Faults { get; }

    public LostAnswers LostAnswers { get; }

    public ILogger? Logger { get; }

    /// <summary>Sends the postbacks and counts them.</summary>
    public PostBackSender PostBackSender { get; }

    /// <summary>Follows the commands that carry a postBackUri and posts at each of their status changes.</summary>
    public PostBackFollower PostBacks { get; }

    /// <summary>Cancelled when the emulator is disposed: every request in flight is aborted.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public StatusAt StatusOf(StoredCommand command) => CommandLifecycle.StateOf(command, Time.GetUtcNow(), Options.StepDelay);

    /// <summary>Back to the state of a fresh emulator: no command, request or script, the first devices, counters at zero.</summary>
    public void Reset()
    {
        Store.Reset();
        Requests.Clear();
        Script.Clear();
        Devices.Restore();
        PostBackSender.Reset();
    }

    public void Stop() => _stopping.Cancel();
}
