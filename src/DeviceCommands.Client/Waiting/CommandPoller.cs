using System.Diagnostics;
using System.Runtime.CompilerServices;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client;

/// <summary>
/// The state of one wait: where it is (polls, start, deadline, next poll) and what it last saw. It has one loop
/// (<see cref="WatchAsync"/>, which <see cref="WaitAsync"/> runs to its end) and one step for durable engines
/// (<see cref="PollOnceAsync"/>); both poll the command through its builder's public <c>GetAsync</c>, each poll under
/// the time left to the deadline (<see cref="TimeBudget"/>). Between polls it holds one timer and no thread.
/// </summary>
/// <remarks>
/// A pending wait holds little: the ids rather than a builder of the package's own type (remade for each poll, so no
/// path-parameter dictionary waits with it), and one suspended loop with its timer. A builder of any other type (a
/// mock, a subclass) is kept and polled as it was given.
/// </remarks>
internal sealed partial class CommandPoller
{
    /// <summary>The shortest delay a <c>Retry-After</c> of zero (or a few milliseconds) can ask for, so that a service
    /// repeating it cannot make a wait poll in a tight loop.</summary>
    private static readonly TimeSpan MinHintedDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The most time kept for the last poll before the deadline (see <see cref="FinalPollMargin"/>).</summary>
    private static readonly TimeSpan MaxFinalPollMargin = TimeSpan.FromSeconds(1);

    private readonly CommandItemRequestBuilder? _given;
    private readonly IRequestAdapter _adapter;
    private readonly string? _baseUrl;
    private readonly string? _deviceId;
    private readonly string? _commandId;
    private readonly CommandWaitOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _startedAt;
    private readonly DateTimeOffset? _deadline;
    private DateTimeOffset? _nextPollAt;
    private int _polls;
    private bool _observed;
    private string? _lastStatus;
    private Command? _last;
    private Command? _terminal;
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
        _logger = ClientContext.LoggerOf(_adapter);
        if (checkpoint is null)
        {
            _startedAt = startedAt ?? _clock.GetUtcNow();
            _deadline = CommandWaitCheckpoint.AddSafely(_startedAt, options.Timeout);
        }
        else
        {
            (_startedAt, _deadline, _polls, _nextPollAt) = (checkpoint.StartedAt, checkpoint.Deadline, checkpoint.Polls, checkpoint.NextPollAt);
            (_observed, _lastStatus) = (checkpoint.LastStatus is not null, checkpoint.LastStatus);
            _resumedKey = checkpoint.CallbackKey;
        }

        if (options.Checkpoint is not null && (string.IsNullOrWhiteSpace(_deviceId) || string.IsNullOrWhiteSpace(_commandId)))
        {
            throw new ArgumentException("A wait with a Checkpoint callback needs a command builder made from ids (client.Me.Devices[id].Commands[id]), not from a raw URL nor a mock (which holds no ids).", nameof(options));
        }
    }

    /// <summary>The tag that carries a command's status on spans: <c>devicecommands.command.status</c>.</summary>
    public const string StatusTag = "devicecommands.command.status";

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
        new(_deviceId!, _commandId!, _polls, _startedAt, _deadline, _nextPollAt, _lastStatus) { CallbackKey = CallbackKey };

    /// <summary>
    /// Takes in an observation (a poll's answer, or the answer of the POST that sent the command); tells Progress, the
    /// log and the span when its status differs from the last one. Returns whether it did.
    /// </summary>
    public bool Observe(Command command)
    {
        _last = command;
        var status = StatusText(command);
        if (_observed && string.Equals(status, _lastStatus, StringComparison.Ordinal))
        {
            return false;
        }

        (_observed, _lastStatus) = (true, status);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.CommandStatusChanged(_logger, _commandId ?? "?", _deviceId ?? "?", status ?? "(none)", _polls);
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
            _terminal = sent;
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
        var elapsed = _clock.GetUtcNow() - _startedAt;
        return new CommandWaitResult(command, command.Status ?? ActionStatus.Custom, _polls, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
    }

    /// <summary>Runs the wait to its end: the terminal command's result, or a timeout.</summary>
    public async Task<CommandWaitResult> WaitAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            // the changes are told to the observers by Observe
        }

        return ResultFor(_terminal!);
    }

    /// <summary>
    /// The wait's one loop: sleeps until the next poll is due, polls, yields each status change, and ends after yielding
    /// the command that ends the wait. Throws <see cref="CommandWaitTimeoutException"/> at the deadline.
    /// </summary>
    public async IAsyncEnumerable<Command> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = StartActivity();
        var ended = false;
        try
        {
            while (true)
            {
                // inline rather than a method of its own, so a sleeping wait is one suspended loop
                for (var wait = TimeToSleep(); wait > TimeSpan.Zero; wait = TimeToSleep())
                {
                    if (_wake is null)
                    {
                        await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                    }
                    else if (await _wake.SleepAsync(wait, cancellationToken).ConfigureAwait(false))
                    {
                        PollNowIfAllowed();
                    }
                }

                if (_nextPollAt is { } due && NoPollLeftAt(due))
                {
                    throw TimedOut();
                }

                var (command, retryAfter) = await PollAsync(cancellationToken).ConfigureAwait(false);
                if (command is not null)
                {
                    if (Observe(command))
                    {
                        yield return command;
                    }

                    if (Ends(command))
                    {
                        _terminal = command;
                        ended = true;
                        yield break;
                    }
                }

                PlanNextPoll(retryAfter);
                _options.Checkpoint?.Invoke(Checkpoint());
            }
        }
        finally
        {
            _wake?.Dispose();
            EndActivity(_activity, ended, cancellationToken);
        }
    }

    /// <summary>
    /// One step for an orchestrator: refuses to poll when no poll is left before the deadline (a timeout, without a
    /// request), else polls once and gives the outcome and the next position.
    /// </summary>
    public async Task<CommandPollResult> PollOnceAsync(CancellationToken cancellationToken)
    {
        if (_nextPollAt is { } next && NoPollLeftAt(next))
        {
            throw TimedOut();
        }

        var (command, retryAfter) = await PollAsync(cancellationToken).ConfigureAwait(false);
        var changed = command is not null && Observe(command);
        if (command is not null && Ends(command))
        {
            _nextPollAt = null;
            _terminal = command;
            RecordEnd(ended: true, cancellationToken);
            return new CommandPollResult(command, changed, Checkpoint(), ResultFor(command));
        }

        if (_deadline is { } deadline && _clock.GetUtcNow() >= deadline)
        {
            var timedOut = TimedOut();
            RecordEnd(ended: false, cancellationToken);
            throw timedOut;
        }

        PlanNextPoll(retryAfter);
        return new CommandPollResult(command, changed, Checkpoint(), null);
    }

    /// <summary>
    /// Sends one GET under the time left. Returns the command (null when the answer had no body), or null when the poll
    /// failed in a way <see cref="Transient"/> calls passing, with the answer's <c>Retry-After</c>. Throws on a
    /// permanent error, at the deadline, and on the caller's cancellation.
    /// </summary>
    private async Task<(Command? Command, TimeSpan? RetryAfter)> PollAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_activity is not null)
        {
            // the poll's request span is a child of the wait's span (this async method's flow only)
            Activity.Current = _activity;
        }

        if (_polls < int.MaxValue)
        {
            _polls++;
        }

        _wake?.Take(); // callbacks from here on make at most one more GET

        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        using var budget = TimeBudget.Until(_deadline, _clock, cancellationToken);
        try
        {
            // WaitAsync: even a GetAsync that ignores its token (a mock, a stalled credential) ends at the deadline
            var command = await Builder().GetAsync(c => c.Options.Add(headers), budget.Token).WaitAsync(budget.Token).ConfigureAwait(false)
                ?? throw NothingReturned();
            return (command, RetryAfter.From(headers.ResponseHeaders, _clock));
        }
        catch (ApiException e) when (Transient.IsStatus(e.ResponseStatusCode) && !cancellationToken.IsCancellationRequested)
        {
            return (null, RetryAfter.From(e.ResponseHeaders, _clock));
        }
        catch (Exception e) when ((e is OperationCanceledException || Transient.IsFailure(e)) && !cancellationToken.IsCancellationRequested)
        {
            // the deadline, reached during the poll; else a network failure or an attempt timeout
            if (_deadline is { } deadline && _clock.GetUtcNow() >= deadline)
            {
                throw TimedOut();
            }

            return (null, null);
        }
    }

    /// <summary>
    /// A status GET that returned no command (an empty 2xx body, or a mock's GetAsync not set up for the arguments the
    /// wait passes) ends the wait at once: polling again would ask the same and wait until the deadline for nothing.
    /// </summary>
    private ApiException NothingReturned() =>
        new($"The status GET returned no command (an empty answer; for a mock, a GetAsync not set up for these arguments: use Arg.Any / It.IsAny), so the wait for {(string.IsNullOrWhiteSpace(_commandId) ? "the command" : $"command '{_commandId}'")} stopped.");

    /// <summary>The command's builder: the one given, or the package's own made again from the ids.</summary>
    private CommandItemRequestBuilder Builder() => _given ?? CommandItemRequestBuilder.For(_adapter, _baseUrl, _deviceId!, _commandId!);

    /// <summary>
    /// Plans the next poll: the scheduled delay after this poll, or exactly what a <c>Retry-After</c> asked (never sooner
    /// than 100 ms). No poll is planned later than <see cref="FinalPollMargin"/> before the deadline, so that the last
    /// one has time to be answered: a scheduled poll past it is moved to it; a hinted one past it (or any, once that
    /// time has passed) leaves no poll, and the next poll time is then the deadline itself.
    /// </summary>
    private void PlanNextPoll(TimeSpan? retryAfter)
    {
        var now = _clock.GetUtcNow();
        var delay = retryAfter is { } hint
            ? hint < MinHintedDelay ? MinHintedDelay : hint
            : WaitSchedule.Delay(_polls, InitialDelay, MaxDelay, WaitSchedule.Sample(_options.JitterSeed, _polls));
        var next = CommandWaitCheckpoint.AddSafely(now, delay) ?? DateTimeOffset.MaxValue;
        if (LastPollAt is { } last && next > last)
        {
            next = retryAfter is null && last > now ? last : _deadline!.Value;
        }

        _nextPollAt = next;
    }

    /// <summary>The latest time a poll is sent: <see cref="FinalPollMargin"/> before the deadline; null without one.</summary>
    private DateTimeOffset? LastPollAt => _deadline - FinalPollMargin;

    /// <summary>The time kept for the last poll: a tenth of the timeout, between 1 ms and 1 s.</summary>
    private TimeSpan FinalPollMargin => _deadline is { } deadline
        ? TimeSpan.FromTicks(Math.Clamp((deadline - _startedAt).Ticks / 10, TimeSpan.TicksPerMillisecond, MaxFinalPollMargin.Ticks))
        : TimeSpan.Zero;

    private bool NoPollLeftAt(DateTimeOffset next) => LastPollAt is { } last && next > last;

    /// <summary>The sleep before the next poll (or, when none is left, the deadline); zero when it is due (the first poll is at once).</summary>
    private TimeSpan TimeToSleep() =>
        _nextPollAt is not { } next ? TimeSpan.Zero : TimerFor(NoPollLeftAt(next) ? _deadline!.Value : next);

    /// <summary>The next timer towards <paramref name="target"/> (<see cref="LongTimer.Piece"/>); zero once it is reached.</summary>
    private TimeSpan TimerFor(DateTimeOffset target) => LongTimer.Piece(target - _clock.GetUtcNow());

    // a field, not Activity.Current: an async iterator does not keep ambient state from one MoveNextAsync to the next
    // returns the span this loop owns: none when it runs under a send and wait's span (Adopt), which ends that itself
    private Activity? StartActivity()
    {
        if (_operation is not null)
        {
            _activity = _operation;
            return null;
        }

        var activity = _activity = ClientDiagnostics.ActivitySource.StartActivity("WaitForCommand", ActivityKind.Internal);
        activity?.SetTag("devicecommands.device.id", _deviceId);
        activity?.SetTag("devicecommands.command.id", _commandId);
        if (_observed)
        {
            activity?.SetTag(StatusTag, _lastStatus ?? "(none)");
        }

        return activity;
    }

    private void EndActivity(Activity? activity, bool ended, CancellationToken cancellationToken)
    {
        RecordEnd(ended, cancellationToken);
        activity?.SetTag("devicecommands.polls", _polls);
        if (!ended)
        {
            activity?.SetStatus(ActivityStatusCode.Error, cancellationToken.IsCancellationRequested ? "cancelled" : "did not end");
        }

        _activity = null;
    }

    /// <summary>Records the wait's end on the client's metrics: how it ended, how long it took, how many polls.</summary>
    public void RecordEnd(bool ended, CancellationToken cancellationToken)
    {
        if (!ClientMetrics.WaitDuration.Enabled && !ClientMetrics.WaitPolls.Enabled)
        {
            return;
        }

        var outcome = ended ? (_terminal?.Status is { } status && status.IsSuccess() ? "completed" : "failed")
            : _timedOut ? "timed_out"
            : cancellationToken.IsCancellationRequested ? "cancelled"
            : "error";
        var elapsed = _clock.GetUtcNow() - _startedAt;
        ClientMetrics.RecordWait(outcome, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, _polls);
    }

    private CommandWaitTimeoutException TimedOut()
    {
        _timedOut = true;
        return new(_last, _polls, CommandWaitTimeoutException.Describe(_last, _commandId, _polls));
    }

    internal static string? StatusText(Command? command) => command?.RawStatus ?? command?.Status?.ToWireValue();
}
