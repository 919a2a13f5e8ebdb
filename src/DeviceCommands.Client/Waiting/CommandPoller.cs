using System.Diagnostics;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Timing;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client;

/// <summary>
/// The state of one wait (polls, start, deadline, next poll, last observation), with one loop (<see cref="LoopAsync"/>,
/// which <see cref="WaitAsync"/> runs to its end and <see cref="WatchAsync"/> up to each status change) and one step for durable engines (<see cref="PollOnceAsync"/>); both
/// poll through the builder's public <c>GetAsync</c>, each under the time left (<see cref="TimeBudget"/>).
/// </summary>
/// <remarks>
/// A pending wait holds the ids, not a builder of the package's own type (remade for each poll), and one timer, no
/// thread; a builder of any other type (a mock) is kept and polled as given.
/// </remarks>
internal sealed partial class CommandPoller
{
    private readonly CommandItemRequestBuilder? _given;
    private readonly IRequestAdapter _adapter;
    private readonly string? _baseUrl;
    private readonly string? _deviceId;
    private readonly string? _commandId;
    private readonly CommandWaitOptions _options;
    private readonly TimeProvider _clock;
    private readonly WaitPlan _plan;
    private DateTimeOffset? _nextPollAt;
    private int _polls;
    private bool _observed;
    private string? _lastStatus;
    private Command? _last; // kept while a timeout could need it (the wait has a deadline), and once it ended the wait
    private int _lastFromCheckpoint = -1; // the checkpoint's poll count while _last is only its recorded status (no poll since read the command), else -1
    private Exception? _failure; // the last poll's passing failure, null once a poll is answered: a timeout's inner exception
    private bool _timedOut;
    private Activity? _activity;

    private CommandPoller(CommandItemRequestBuilder command, CommandWaitOptions options, DateTimeOffset? startedAt, CommandWaitCheckpoint? checkpoint)
    {
        options.Validate();
        _options = options;
        _adapter = command.Adapter;
        _baseUrl = command.BaseUrl;

        // a resumed wait knows its ids from the checkpoint, even over a mocked builder (which holds none)
        (_deviceId, _commandId) = checkpoint is null ? (command.DeviceId, command.CommandId) : (checkpoint.DeviceId, checkpoint.CommandId);
        var remade = command.GetType() == typeof(CommandItemRequestBuilder) && !string.IsNullOrWhiteSpace(_deviceId) && !string.IsNullOrWhiteSpace(_commandId)
            && _deviceId == command.DeviceId && _commandId == command.CommandId;
        _given = remade ? null : command;
        _clock = ClockFor(options, _adapter);
        if (checkpoint is null)
        {
            var start = startedAt ?? _clock.GetUtcNow();
            _plan = new(start, CommandWaitCheckpoint.AddSafely(start, options.Timeout), options.InitialDelay, options.MaxDelay, options.JitterSeed);
        }
        else
        {
            _plan = new(checkpoint.StartedAt, checkpoint.Deadline, options.InitialDelay, options.MaxDelay, options.JitterSeed);
            (_polls, _nextPollAt) = (checkpoint.Polls, checkpoint.NextPollAt);
            (_observed, _lastStatus) = (checkpoint.LastStatus is not null, checkpoint.LastStatus);
            _resumedKey = checkpoint.CallbackKey;
            if (checkpoint.LastStatus is { } status && _plan.Deadline is not null)
            {
                // a timeout before the resumed wait reads the command reports what the checkpoint last saw
                _last = new Command { Id = _commandId, RawStatus = status, Status = ActionStatusExtensions.TryParse(status, out var known) ? known : null };
                _lastFromCheckpoint = checkpoint.Polls;
            }
        }

        if (options.Checkpoint is not null && (string.IsNullOrWhiteSpace(_deviceId) || string.IsNullOrWhiteSpace(_commandId)))
        {
            throw new ArgumentException("A wait with a Checkpoint callback needs a command builder made from ids (client.Me.Devices[id].Commands[id]), not from a raw URL nor a mock (which holds no ids).", nameof(options));
        }
    }

    /// <summary>The GET requests made for the status so far.</summary>
    public int Polls => _polls;

    /// <summary>The clock a wait uses: the options' one, else the client's one.</summary>
    public static TimeProvider ClockFor(CommandWaitOptions options, IRequestAdapter? adapter) =>
        options.TimeProvider ?? ClientContext.ClockOf(adapter);

    /// <summary>A new wait that starts now (or at <paramref name="startedAt"/>) and polls at once.</summary>
    public static CommandPoller Start(CommandItemRequestBuilder command, CommandWaitOptions? options, DateTimeOffset? startedAt = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new CommandPoller(command, options ?? new CommandWaitOptions(), startedAt, checkpoint: null);
    }

    /// <summary>A wait that continues from a checkpoint: same start, deadline, poll count, next poll time and last status.</summary>
    public static CommandPoller Resume(CommandItemRequestBuilder command, CommandWaitCheckpoint checkpoint, CommandWaitOptions? options)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new CommandPoller(command, options ?? new CommandWaitOptions(), startedAt: null, checkpoint);
    }

    /// <summary>The wait's position now.</summary>
    public CommandWaitCheckpoint Checkpoint() =>
        new(_deviceId!, _commandId!, _polls, _plan.StartedAt, _plan.Deadline, _nextPollAt, _lastStatus) { CallbackKey = CallbackKey };

    /// <summary>
    /// Takes in an observation (a poll's answer, or the answer of the POST that sent the command); tells Progress, the
    /// log and the span when its status differs from the last one. Returns whether it did.
    /// </summary>
    public bool Observe(Command command)
    {
        if (_plan.Deadline is not null)
        {
            (_last, _lastFromCheckpoint) = (command, -1); // a timeout's LastObserved; a wait without a deadline never times out
        }

        var status = StatusText(command);
        if (_observed && string.Equals(status, _lastStatus, StringComparison.Ordinal))
        {
            return false;
        }

        (_observed, _lastStatus) = (true, status);
        if (ClientContext.LoggerOf(_adapter) is var logger && logger.IsEnabled(LogLevel.Information))
        {
            Log.CommandStatusChanged(logger, _commandId ?? "?", _deviceId ?? "?", status ?? "(none)", _polls);
        }

        _activity?.SetTag(StatusTag, status ?? "(none)");
        _options.Progress?.Report(command);
        return true;
    }

    /// <summary>
    /// Takes in the answer of the POST that sent the command as the wait's first observation, and plans the first GET
    /// the way a poll plans the next one: <see cref="CommandWaitOptions.InitialDelay"/> later (jittered), or when the
    /// POST's <c>Retry-After</c> says, so no GET asks again at once what the POST has just said.
    /// </summary>
    public void ObservePost(Command sent, TimeSpan? retryAfter)
    {
        Observe(sent);
        if (Ends(sent))
        {
            _last = sent;
        }
        else
        {
            PlanNextPoll(retryAfter);
        }
    }

    /// <summary>Whether an observed command ends the wait.</summary>
    public bool Ends(Command command) => _options.Ends(command);

    /// <summary>The result of a wait ended by <paramref name="command"/>.</summary>
    public CommandWaitResult ResultFor(Command command)
    {
        var elapsed = _clock.GetUtcNow() - _plan.StartedAt;
        return new CommandWaitResult(command, command.Status ?? ActionStatus.Custom, _polls, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
    }

    /// <summary>
    /// One step for an orchestrator: refuses to poll once the deadline has come (a timeout, without
    /// a request), else polls once and gives the outcome and the next position. Before the deadline a step whose
    /// checkpoint left no poll is a callback's (the engine's timer is set to the deadline then), and its GET runs under
    /// the time left, as an in-process wait's does (<see cref="WaitPlan.PollOnCallbackAt"/>).
    /// </summary>
    public async Task<CommandPollResult> PollOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await StepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (CallerCancellation.NeedsCallersToken(e, cancellationToken))
        {
            throw CallerCancellation.AsCallers(e, cancellationToken);
        }
    }

    private async Task<CommandPollResult> StepAsync(CancellationToken cancellationToken)
    {
        if (_plan.IsOver(_clock.GetUtcNow()))
        {
            throw TimedOut();
        }

        var (command, retryAfter) = await PollAsync(cancellationToken).ConfigureAwait(false);
        var changed = command is not null && Observe(command);
        if (command is not null && Ends(command))
        {
            _nextPollAt = null;
            _last = command;
            RecordEnd(ended: true, cancellationToken);
            return new CommandPollResult(command, changed, Checkpoint(), ResultFor(command));
        }

        if (_plan.IsOver(_clock.GetUtcNow()))
        {
            var timedOut = TimedOut();
            RecordEnd(ended: false, cancellationToken);
            throw timedOut;
        }

        PlanNextPoll(retryAfter);
        return new CommandPollResult(command, changed, Checkpoint(), null);
    }

    /// <summary>Plans the next poll after an observation (<see cref="WaitPlan.NextPollAt"/>).</summary>
    private void PlanNextPoll(TimeSpan? retryAfter) =>
        _nextPollAt = _plan.NextPollAt(_polls, _clock.GetUtcNow(), retryAfter, CallbacksOn);

    /// <summary>The sleep before the next poll (or, when none is left, the deadline); zero when it is due.</summary>
    private TimeSpan TimeToSleep() => _plan.SleepBefore(_nextPollAt, _clock.GetUtcNow());

    private CommandWaitTimeoutException TimedOut()
    {
        _timedOut = true;
        var message = CommandWaitTimeoutException.Describe(_last, _commandId, _polls, _lastFromCheckpoint >= 0 ? _lastFromCheckpoint : null);
        return _failure is null
            ? new(_last, _polls, message)
            : new(_last, _polls, $"{message} The last poll failed: {_failure.Message}", _failure);
    }

    internal static string? StatusText(Command? command) => command?.RawStatus ?? command?.Status?.ToWireValue();
}
