using System.Security.Cryptography;
using System.Text;
using DeviceCommands.Client;
using DeviceCommands.Client.Callbacks;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// A wait's postbacks. Its command carries <c>{CallbackBaseUrl}/{user}/{wait}/{key}</c>: the grain's key, which lets any
/// silo route the postback to the wait wherever it lives (activating it, if its silo died), and a random key of the
/// wait's own, so that a forged postback is ignored. A postback is a hint: it makes the wait poll now, and that GET
/// decides; polling goes on as the fallback, slower (<see cref="FleetSiloSettings.CallbackFallbackDelay"/>).
/// </summary>
public sealed partial class WaitGrain
{
    /// <summary>The least time between two polls that postbacks ask for, so a flood of them makes a handful of GETs.</summary>
    public static readonly TimeSpan CallbackPollSpacing = TimeSpan.FromSeconds(1);

    private bool _resumedByCallback;
    private bool _callbackPending;
    private int _callbackPolls;
    private DateTimeOffset _lastCallbackPoll = DateTimeOffset.MinValue;

    /// <inheritdoc />
    public Task CallbackAsync(string callbackKey, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(callbackKey);
        ArgumentNullException.ThrowIfNull(body);
        if (S.DeviceId is null || S.CallbackKey is not { } mine || !SameKey(callbackKey, mine))
        {
            // no such wait, or not its key: nothing is sent, and an activation made only for this goes at once
            if (!_called)
            {
                DeactivateOnIdle();
            }

            return Task.CompletedTask;
        }

        var fresh = !_called;
        if (fresh)
        {
            // the silo that held the wait died: this activation looks at once, whatever the body says
            (_called, _resumedByCallback) = (true, true);
        }

        if (_done || S.CommandId is null || S.Outcome is not null || _unwritten)
        {
            // nothing to poll yet (the POST's answer is not stored), or the stored state decides: the plan as it is
            Plan();
        }
        else if (fresh || CommandWaitCheckpoint.Parse(S.Checkpoint!).CallsForPoll(body))
        {
            _callbackPending = true;
            var due = _lastCallbackPoll + CallbackPollSpacing - DateTimeOffset.UtcNow;
            Schedule(due > TimeSpan.Zero ? due : TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    /// <summary>The postBackUri of this wait's command; null without callbacks.</summary>
    private Uri? PostBackUri() =>
        settings.CallbackBaseUrl is { } root && S.CallbackKey is { } key
            ? new Uri(root, $"{this.GetPrimaryKeyString()}/{key}")
            : null;

    /// <summary>Counts a poll that a postback asked for, as it starts.</summary>
    private void TakeCallback()
    {
        if (_callbackPending)
        {
            (_callbackPending, _callbackPolls, _lastCallbackPoll) = (false, _callbackPolls + 1, DateTimeOffset.UtcNow);
        }
    }

    private static bool SameKey(string given, string mine) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(mine));
}
