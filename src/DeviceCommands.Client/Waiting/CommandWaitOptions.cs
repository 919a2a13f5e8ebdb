using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client;

/// <summary>
/// How <see cref="CommandWaitExtensions"/> waits for a command: the polling schedule, the timeout, what counts as
/// the end, and who is told of progress. An instance may be shared by many waits; it is read when a wait starts.
/// </summary>
/// <remarks>
/// The first poll is at once, then the delay grows from <see cref="InitialDelay"/> to <see cref="MaxDelay"/>, jittered,
/// never past <c>start + Timeout</c> (docs/waiting.md, "Schedule"). <see cref="ActionStatus.Custom"/> and unknown
/// statuses end a wait only if <see cref="IsTerminal"/> or <see cref="IsTerminalCommand"/> says so.
/// </remarks>
public sealed class CommandWaitOptions
{
    /// <summary>The delay before the second poll (the first is immediate), before jitter. Default 1 second; must be positive.</summary>
    public TimeSpan InitialDelay { get; set; } = TimingDefaults.WaitInitialDelay;

    /// <summary>The cap of the growing delay between polls. Default 30 seconds; must not be less than <see cref="InitialDelay"/>.</summary>
    public TimeSpan MaxDelay { get; set; } = TimingDefaults.WaitMaxDelay;

    /// <summary>
    /// How long the wait may last from its start, after which it throws <see cref="CommandWaitTimeoutException"/>.
    /// Default 10 minutes; <see langword="null"/> waits until the command ends or the caller's token is cancelled.
    /// Must be positive. A resumed wait keeps the deadline of its checkpoint and ignores this value.
    /// </summary>
    public TimeSpan? Timeout { get; set; } = TimingDefaults.WaitTimeout;

    /// <summary>
    /// Which known statuses end the wait. <see langword="null"/> (the default) means
    /// <see cref="ActionStatusExtensions.IsTerminal(ActionStatus)"/>. It is not called for a command whose
    /// <see cref="Command.Status"/> is <see langword="null"/> (absent or unknown); see <see cref="IsTerminalCommand"/>.
    /// </summary>
    public Func<ActionStatus, bool>? IsTerminal { get; set; }

    /// <summary>
    /// An extra test, evaluated on the whole observed command (<see cref="Command.RawStatus"/> included): when it
    /// returns <see langword="true"/> the wait ends, whatever the status. This is the opt-in for statuses this
    /// version does not know. The result's <see cref="CommandWaitResult.Status"/> is then
    /// <c>command.Status ?? ActionStatus.Custom</c>. Default <see langword="null"/>: only <see cref="IsTerminal"/> decides.
    /// </summary>
    public Func<Command, bool>? IsTerminalCommand { get; set; }

    /// <summary>
    /// Told of every status change, the first observation included, once each (an observation whose
    /// <see cref="Command.Status"/> and <see cref="Command.RawStatus"/> equal the previous one's is not reported).
    /// </summary>
    public IProgress<Command>? Progress { get; set; }

    /// <summary>
    /// The clock used for sleeping, the deadline and <c>Retry-After</c> dates. <see langword="null"/> (the default)
    /// means the client's clock: <see cref="DeviceCommandsClientOptions.TimeProvider"/> for a client made by
    /// <see cref="DeviceCommandsClient.Create"/>, else <see cref="System.TimeProvider.System"/>.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// A seed that makes the jitter of the schedule deterministic (the jitter of poll <c>n</c> is then a pure function
    /// of the seed and <c>n</c>, so a resumed wait continues the same sequence). <see langword="null"/> (the default)
    /// draws from <see cref="Random.Shared"/>. Meant for tests.
    /// </summary>
    public int? JitterSeed { get; set; }

    /// <summary>
    /// Called after each poll that does not end the wait with the wait's current position, which can be stored
    /// (<see cref="CommandWaitCheckpoint.ToString"/>) and resumed later, in another process, with
    /// <see cref="CommandWaitExtensions.ResumeWaitAsync"/>. An exception thrown here ends the wait.
    /// </summary>
    public Action<CommandWaitCheckpoint>? Checkpoint { get; set; }

    /// <summary>
    /// When set, <see cref="CommandWaitExtensions.SendAndWaitAsync"/> registers the wait with this receiver before its
    /// POST and sends the wait's <c>postBackUri</c> (<c>{CallbackBaseUrl}/{key}</c>) with the command, unless the
    /// command already has one; a callback then makes the wait poll at once, and polling goes on as the fallback, on a
    /// schedule <see cref="CallbackFallbackFactor"/> times slower. <see cref="CommandWaitExtensions.ResumeWaitAsync"/>
    /// registers a checkpoint's callback key again. <see langword="null"/> (the default): polling only, unless the client
    /// names a receiver (<see cref="DeviceCommandsClientOptions.Callbacks"/>).
    /// </summary>
    public CommandCallbackReceiver? Callbacks { get; set; }

    /// <summary>
    /// How much slower the fallback polls of a wait with callbacks are than <see cref="InitialDelay"/> and
    /// <see cref="MaxDelay"/> say: 10, so by default a callback-driven wait first polls 10 s after its POST (8 to 12 s
    /// with jitter), then 12, 14.4, … s later, up to every 300 s. A command that ends within 8 s then costs its POST and
    /// the one GET its terminal callback asks for; one whose every postback is lost is still seen, later (docs/waiting.md).
    /// </summary>
    public const int CallbackFallbackFactor = TimingDefaults.CallbackFallbackFactor;

    /// <summary>Checks the values; called when a wait starts.</summary>
    /// <exception cref="ArgumentException">A delay or the timeout is out of range.</exception>
    internal void Validate()
    {
        if (InitialDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException("InitialDelay must be positive.", nameof(InitialDelay));
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentException("MaxDelay must not be less than InitialDelay.", nameof(MaxDelay));
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timeout must be positive, or null to wait until cancelled.", nameof(Timeout));
        }
    }

    /// <summary>Whether a known status ends the wait.</summary>
    internal bool IsTerminalStatus(ActionStatus status) => IsTerminal?.Invoke(status) ?? status.IsTerminal();

    /// <summary>Whether an observed command ends the wait.</summary>
    internal bool Ends(Command command) =>
        IsTerminalCommand?.Invoke(command) == true || (command.Status is { } status && IsTerminalStatus(status));
}
