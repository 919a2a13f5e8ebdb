using DeviceCommands.Client;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// One command's wait. It stores its intent, sends the command once (with a postBackUri that any silo can route back
/// to it, see <see cref="CallbackAsync"/>), then polls it one step at a time on a grain timer at the checkpoint's next
/// poll time, storing the checkpoint after each poll; a postback makes it poll at once. A reminder every
/// <see cref="WatchdogPeriod"/> is its watchdog: when the silo that held it dies, the reminder (or the next postback)
/// activates it on another silo, where it continues from what it stored.
/// </summary>
/// <remarks>
/// <para><b>At most once.</b> The service has no idempotency key, so the wait never sends blindly:</para>
/// <list type="number">
/// <item>Before a POST it stores the intent (a new <c>client-request-id</c>) with the ETag checked: of two activations
/// of one wait (possible for a moment while the cluster decides a silo is dead), only one can store it, and only
/// that one sends.</item>
/// <item>An activation that finds an intent without a command id never sends: the POST may or may not have created the
/// command, so the wait ends <see cref="WaitOutcomeKind.Unknown"/> ("unknown: not sent again"). The one exception is
/// the activation that stored that intent itself and has not sent it yet (its write came back late or failed): it
/// knows no POST left, and sends.</item>
/// <item>A 429 is the service saying it did not take the command: the intent is cleared, and a new one (with a new
/// <c>client-request-id</c>) is stored before the POST is sent again. The client's own retries are off
/// (<see cref="UserClients"/>), so no <c>client-request-id</c> is ever sent twice.</item>
/// </list>
/// <para>Polls are GETs: repeating one after a crash is harmless, so a poll is not guarded like a POST.</para>
/// <para><b>A stalled store.</b> Every write is confirmed before anything depends on it (<see cref="WriteAsync"/>):
/// a write that fails or comes back late is read back, and is either found stored, or written again from what this
/// activation holds (a command id is never dropped), or found overwritten by another activation (this one stops).</para>
/// </remarks>
public sealed partial class WaitGrain(
    [PersistentState("wait", FleetSilo.StorageName)] IPersistentState<WaitState> state,
    UserClients clients,
    OutcomeBoard board,
    FleetSiloSettings settings,
    ILogger<WaitGrain> logger) : Grain, IWaitGrain, IRemindable
{
    /// <summary>The watchdog reminder's name.</summary>
    public const string Watchdog = "watchdog";

    /// <summary>
    /// The watchdog's period: 10 s (the silos lower Orleans' smallest reminder period, 1 min, to it). A tick of a live
    /// wait only plans its next step, with no request and no write; a wait whose silo died, and whose postbacks are lost,
    /// is back within one period of the cluster declaring the death.
    /// </summary>
    public static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(10);

    private static int s_active;
    private DeviceCommandsClient _client = null!;
    private IGrainTimer? _timer;
    private bool _called;
    private bool _resumedByReminder;
    private bool _done;
    private string? _unsentIntent;
    private bool _unwritten;
    private string? _inDoubt;

    /// <summary>The wait grains active in this silo.</summary>
    public static int Active => Volatile.Read(ref s_active);

    private WaitState S => state.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_active);
        var key = this.GetPrimaryKeyString();
        _client = clients.For(key[..Math.Max(0, key.IndexOf('/', StringComparison.Ordinal))]);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref s_active);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StartAsync(WaitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _called = true;
        if (S.DeviceId is null)
        {
            // the watchdog first: from here on, a silo's death cannot leave this wait unattended
            await this.RegisterOrUpdateReminder(Watchdog, WatchdogPeriod, WatchdogPeriod);
            S.DeviceId = request.DeviceId;
            S.Uri = request.Uri;
            S.AcceptedAt = DateTimeOffset.UtcNow;
            S.CallbackKey = settings.CallbackBaseUrl is null ? null : CommandCallbackReceiver.NewKey();
            await SendAsync();
        }

        Plan();
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!_called)
        {
            (_called, _resumedByReminder) = (true, true);
        }

        if (S.DeviceId is null)
        {
            // the silo died between the watchdog and the request: nothing to watch (the caller asks again)
            await StopWatchdogAsync();
            DeactivateOnIdle();
            return;
        }

        Plan();
    }

    /// <summary>Plans the next step on the timer: at once, at the next send after a 429, or at the next poll.</summary>
    private void Plan()
    {
        if (_done || S.DeviceId is null)
        {
            return;
        }

        var at = S.Outcome is not null || (S.ClientRequestId is not null && S.CommandId is null) || _unwritten ? DateTimeOffset.MinValue
            : S.CommandId is null ? S.NextSendAt ?? DateTimeOffset.MinValue
            : NextPollAt(CommandWaitCheckpoint.Parse(S.Checkpoint!));
        var due = at - DateTimeOffset.UtcNow;
        Schedule(due > TimeSpan.Zero ? due : TimeSpan.Zero);
    }

    private void Schedule(TimeSpan due)
    {
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(StepAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>One step of the wait, decided by what is stored.</summary>
    private async Task StepAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (S.Outcome is not null)
            {
                if (_unwritten)
                {
                    await WriteAsync();
                }

                await ReportAsync();
            }
            else if (S.ClientRequestId is not null && S.CommandId is null && S.ClientRequestId != _unsentIntent)
            {
                // a POST of an earlier activation was sent, or about to be, and its answer never came back
                await FinishAsync(WaitOutcomeKind.Unknown, WaitOutcome.UnknownText);
            }
            else if (S.CommandId is null)
            {
                await SendAsync();
            }
            else
            {
                TakeCallback();
                await PollAsync(cancellationToken);
            }
        }
        catch (InconsistentStateException)
        {
            // another activation of this wait stored first: this one stops, and never sends
            LogStale(logger, this.GetPrimaryKeyString());
            _done = true;
            DeactivateOnIdle();
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the store or the network failed: the step is tried again; what is stored decides what it does
            LogStepFailed(logger, e, this.GetPrimaryKeyString());
            Schedule(TimeSpan.FromSeconds(1));
            return;
        }

        Plan();
    }

    private static string? StatusOf(Command command) => command.RawStatus ?? command.Status?.ToWireValue();
}
