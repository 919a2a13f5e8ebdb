using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client;

/// <summary>
/// A wait's callbacks: the <see cref="CallbackWake"/> it holds, which cuts its sleep short when a callback asks for a
/// poll, and the slower fallback schedule of such a wait (<see cref="CommandWaitOptions.CallbackFallbackFactor"/>).
/// </summary>
internal sealed partial class CommandPoller
{
    private CallbackWake? _wake;
    private string? _resumedKey;

    /// <summary>The wait's callback key: its registration's, else the one its checkpoint carried.</summary>
    private string? CallbackKey => _wake?.Key ?? _resumedKey;

    /// <summary>Whether the wait has callbacks on, so its fallback schedule is slower (<see cref="WaitPlan.Slowed"/>).</summary>
    private bool CallbacksOn => _wake is not null || _resumedKey is not null;

    /// <summary>Registers a new wait with the receiver before its POST: the key exists before the service can use it.</summary>
    public static CallbackWake? RegisterBeforePost(CommandCallbackReceiver? receiver, CommandWaitOptions options, TimeProvider clock) =>
        receiver?.Register(clock, HasOwnTerminalTests(options));

    /// <summary>
    /// Whether the options have terminal tests of the caller's: the receiver then asks for a poll on every callback,
    /// since it never runs the caller's code on a callback's body (the tests judge what the wait's GETs read).
    /// </summary>
    public static bool HasOwnTerminalTests(CommandWaitOptions options) =>
        options.IsTerminal is not null || options.IsTerminalCommand is not null;

    /// <summary>Takes in the registration made before the POST, now that the command has an id.</summary>
    public void Attach(CallbackWake? wake)
    {
        if (wake is not null)
        {
            wake.CommandId = _commandId;
            _wake = wake;
        }
    }

    /// <summary>For a resumed wait: registers its checkpoint's key again with the receiver, so its callbacks still wake it.</summary>
    public CommandPoller WithCallbacks(CommandCallbackReceiver? receiver)
    {
        if (receiver is not null && _resumedKey is { } key)
        {
            Attach(receiver.Register(_clock, HasOwnTerminalTests(_options), key));
        }

        return this;
    }

    /// <summary>
    /// A callback asked for a poll: true, with the poll due now, until the deadline has come (even past the last
    /// scheduled poll time, <see cref="WaitPlan.PollOnCallbackAt"/>); false at the deadline, when the wait times out.
    /// </summary>
    private bool PollNowIfAllowed()
    {
        if (_plan.PollOnCallbackAt(_clock.GetUtcNow()) is not { } now)
        {
            return false;
        }

        _nextPollAt = now;
        return true;
    }
}
