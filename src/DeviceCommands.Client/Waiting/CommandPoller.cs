using System.Diagnostics;
using System.Runtime.CompilerServices;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client;

/// <summary>
/// The polling loop shared by every wait: one per wait, holding the position (polls, start, deadline, next poll),
/// the last observation and nothing else. Between polls it holds one timer of the wait's <see cref="TimeProvider"/>
/// and no thread.
/// </summary>
internal sealed class CommandPoller
{
    private const string DeviceKey = "device%2Did";
    private const string CommandKey = "command%2Did";

    /// <summary>The shortest delay a <c>Retry-After</c> of zero (or a few milliseconds) can ask for, so that a service
    /// repeating it cannot make a wait poll in a tight loop.</summary>
    private static readonly TimeSpan MinHintedDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest single timer (Task.Delay accepts at most about 49.7 days); longer sleeps are chained.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(30);

    private readonly IRequestAdapter _adapter;
    private readonly object? _baseUrl;
    private readonly string? _rawUrl;
    private readonly CommandWaitOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private Activity? _activity;
    private readonly string? _deviceId;
    private readonly string? _commandId;
    private readonly DateTimeOffset _startedAt;
    private readonly DateTimeOffset? _deadline;
    private DateTimeOffset? _nextPollAt;
    private TimeSpan? _retryAfter;
    private int _polls;
    private Command? _last;
    private Command? _terminal;

    private CommandPoller(CommandItemRequestBuilder builder, CommandWaitOptions options, TimeProvider clock, DateTimeOffset startedAt, DateTimeOffset? deadline, int polls, DateTimeOffset? nextPollAt)
    {
        _adapter = builder.Adapter;
        _baseUrl = builder.Parameters.TryGetValue("baseurl", out var b) ? b : null;
        _rawUrl = builder.Parameters.TryGetValue("request-raw-url", out var r) ? r as string : null;
        _options = options;
        _clock = clock;
        _logger = DeviceCommandsRequestAdapter.LoggerOf(builder.Adapter);
        _startedAt = startedAt;
        _deadline = deadline;
        _polls = polls;
        _nextPollAt = nextPollAt;
        _deviceId = builder.Parameters.TryGetValue(DeviceKey, out var d) ? d as string : null;
        _commandId = builder.Parameters.TryGetValue(CommandKey, out var c) ? c as string : null;
        if (options.Checkpoint is not null && (string.IsNullOrWhiteSpace(_deviceId) || string.IsNullOrWhiteSpace(_commandId)))
        {
            throw new ArgumentException("A wait with a Checkpoint callback needs a command builder made from ids (client.Me.Devices[id].Commands[id]), not from a raw URL.", nameof(options));
        }
    }

    /// <summary>The GET requests made for the status so far.</summary>
    public int Polls => _polls;

    /// <summary>The command as last observed.</summary>
    public Command? LastObserved => _last;

    /// <summary>The clock of the wait.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>The clock a wait uses: the options' one, else the client's one.</summary>
    public static TimeProvider ClockFor(CommandWaitOptions options, IRequestAdapter adapter) =>
        options.TimeProvider ?? DeviceCommandsRequestAdapter.TimeProviderOf(adapter);

    /// <summary>A new wait that starts now (or at <paramref name="startedAt"/>) and polls at once.</summary>
    public static CommandPoller Start(CommandItemRequestBuilder builder, CommandWaitOptions? options, DateTimeOffset? startedAt = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new CommandWaitOptions();
        options.Validate();
        var clock = ClockFor(options, builder.Adapter);
        var start = startedAt ?? clock.GetUtcNow();
        return new CommandPoller(builder, options, clock, start, CommandWaitCheckpoint.AddSafely(start, options.Timeout), 0, null);
    }

    /// <summary>A wait that continues from a checkpoint: same start, deadline, poll count and next poll time.</summary>
    public static CommandPoller Resume(CommandItemRequestBuilder builder, CommandWaitCheckpoint checkpoint, CommandWaitOptions? options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(checkpoint);
        options ??= new CommandWaitOptions();
        options.Validate();
        var clock = ClockFor(options, builder.Adapter);
        return new CommandPoller(builder, options, clock, checkpoint.StartedAt, checkpoint.Deadline, checkpoint.Polls, checkpoint.NextPollAt);
    }

    /// <summary>The wait's position now.</summary>
    public CommandWaitCheckpoint Checkpoint() =>
        new(_deviceId!, _commandId!, _polls, _startedAt, _deadline, _nextPollAt, StatusText(_last));

    /// <summary>
    /// Takes in an observation (a poll's answer, or the answer of the POST that sent the command); tells
    /// <see cref="CommandWaitOptions.Progress"/> when the status changed. Returns whether it changed.
    /// </summary>
    public bool Observe(Command command)
    {
        var changed = _last is null || _last.Status != command.Status || !string.Equals(_last.RawStatus, command.RawStatus, StringComparison.Ordinal);
        _last = command;
        if (changed)
        {
            Changed(command);
        }

        return changed;
    }

    /// <summary>Tells the observers of a status change: Progress, the log and the wait's span.</summary>
    private void Changed(Command command)
    {
        var status = StatusText(command) ?? "(none)";
        ClientDiagnostics.CommandStatusChanged(_logger, _commandId ?? "?", _deviceId ?? "?", status, _polls);
        _activity?.SetTag(StatusTag, status);
        _options.Progress?.Report(command);
    }

    /// <summary>Whether an observed command ends the wait.</summary>
    public bool Ends(Command command) => _options.Ends(command);

    /// <summary>The result of a wait ended by <paramref name="command"/>.</summary>
    public CommandWaitResult ResultFor(Command command)
    {
        var elapsed = _clock.GetUtcNow() - _startedAt;
        return new CommandWaitResult(command, command.Status ?? ActionStatus.Custom, _polls, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
    }

    /// <summary>
    /// Waits to the end: the terminal command's result, or a timeout. One async method for the whole wait (no nested
    /// iterators), so that a sleeping wait holds one state machine, one timer and the poller.
    /// </summary>
    public async Task<CommandWaitResult> WaitAsync(CancellationToken cancellationToken)
    {
        using var activity = StartActivity();
        var ended = false;
        try
        {
            while (true)
            {
                if (_nextPollAt is not null)
                {
                    var (target, poll) = SleepTarget();
                    for (var wait = TimerFor(target); wait > TimeSpan.Zero; wait = TimerFor(target))
                    {
                        await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                    }

                    if (!poll)
                    {
                        throw TimedOut();
                    }
                }

                var command = await PollAsync(cancellationToken).ConfigureAwait(false);
                if (AfterPoll(command, out _))
                {
                    ended = true;
                    return ResultFor(_terminal!);
                }
            }
        }
        finally
        {
            EndActivity(activity, ended, cancellationToken);
        }
    }

    /// <summary>
    /// The loop as a sequence: sleeps until the next poll is due, polls, yields each status change, and ends after
    /// yielding the command that ends the wait. Throws <see cref="CommandWaitTimeoutException"/> at the deadline.
    /// </summary>
    public async IAsyncEnumerable<Command> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = StartActivity();
        var ended = false;
        try
        {
            while (true)
            {
                if (_nextPollAt is not null && !await SleepUntilNextPollAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw TimedOut();
                }

                var command = await PollAsync(cancellationToken).ConfigureAwait(false);
                var over = AfterPoll(command, out var changed);
                if (changed)
                {
                    yield return command!;
                }

                if (over)
                {
                    ended = true;
                    yield break;
                }
            }
        }
        finally
        {
            EndActivity(activity, ended, cancellationToken);
        }
    }

    /// <summary>The tag that carries a command's status on spans: <c>devicecommands.command.status</c>.</summary>
    public const string StatusTag = "devicecommands.command.status";

    /// <summary>
    /// Takes in a poll's outcome: tells the observers of a change, and returns whether the wait is over. Throws the
    /// timeout at the deadline; else plans the next poll and reports the checkpoint.
    /// </summary>
    private bool AfterPoll(Command? command, out bool changed)
    {
        changed = false;
        if (command is not null)
        {
            changed = Observe(command);
            if (Ends(command))
            {
                _terminal = command;
                return true;
            }
        }

        if (DeadlineReached())
        {
            throw TimedOut();
        }

        PlanNextPoll();
        _options.Checkpoint?.Invoke(Checkpoint());
        return false;
    }

    // a field, not Activity.Current: an async iterator does not keep ambient state from one MoveNextAsync to the next
    private Activity? StartActivity()
    {
        var activity = _activity = ClientDiagnostics.ActivitySource.StartActivity("WaitForCommand", ActivityKind.Internal);
        activity?.SetTag("devicecommands.device.id", _deviceId);
        activity?.SetTag("devicecommands.command.id", _commandId);
        if (_last is not null)
        {
            activity?.SetTag(StatusTag, StatusText(_last));
        }

        return activity;
    }

    private void EndActivity(Activity? activity, bool ended, CancellationToken cancellationToken)
    {
        activity?.SetTag("devicecommands.polls", _polls);
        if (!ended)
        {
            activity?.SetStatus(ActivityStatusCode.Error, cancellationToken.IsCancellationRequested ? "cancelled" : "did not end");
        }

        _activity = null;
    }

    /// <summary>
    /// One step for an orchestrator: refuses to poll when the checkpoint's next poll is past its deadline (timeout),
    /// else polls once and gives the outcome and the next position.
    /// </summary>
    public async Task<CommandPollResult> StepAsync(string? lastStatus, CancellationToken cancellationToken)
    {
        if (_nextPollAt is { } next && _deadline is { } deadline && next > deadline)
        {
            throw TimedOut();
        }

        var command = await PollAsync(cancellationToken).ConfigureAwait(false);
        var changed = false;
        if (command is not null)
        {
            _last = command;
            changed = !string.Equals(StatusText(command), lastStatus, StringComparison.Ordinal);
            if (changed)
            {
                Changed(command);
            }

            if (Ends(command))
            {
                _nextPollAt = null;
                return new CommandPollResult(command, changed, Checkpoint(), ResultFor(command));
            }
        }

        if (DeadlineReached())
        {
            throw TimedOut();
        }

        PlanNextPoll();
        var position = command is null
            ? new CommandWaitCheckpoint(_deviceId!, _commandId!, _polls, _startedAt, _deadline, _nextPollAt, lastStatus)
            : Checkpoint();
        return new CommandPollResult(command, changed, position, null);
    }

    /// <summary>
    /// Sends one GET. Returns the command, or null when the poll failed transiently (429, 408, 5xx, network error,
    /// per-request timeout) or the answer had no body; throws on permanent errors and on the caller's cancellation.
    /// Remembers the answer's <c>Retry-After</c>.
    /// </summary>
    private async Task<Command?> PollAsync(CancellationToken cancellationToken)
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

        _retryAfter = null;
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        try
        {
            var command = await Builder().GetWithHeadersAsync(headers, cancellationToken).ConfigureAwait(false);
            _retryAfter = Transport.RetryAfter.From(headers.ResponseHeaders, _clock);
            return command;
        }
        catch (ApiException e) when (IsTransientStatus(e.ResponseStatusCode) && !cancellationToken.IsCancellationRequested)
        {
            _retryAfter = Transport.RetryAfter.From(e.ResponseHeaders, _clock);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // a network failure, or a per-request timeout (not the caller's token)
            return null;
        }
    }

    /// <summary>
    /// The command's request builder, made again for each poll: a wait keeps only the ids between polls, not a
    /// builder and its dictionary, so that a sleeping wait stays small.
    /// </summary>
    private CommandItemRequestBuilder Builder()
    {
        if (_rawUrl is not null)
        {
            return new CommandItemRequestBuilder(_rawUrl, _adapter);
        }

        var parameters = new Dictionary<string, object>(3, StringComparer.Ordinal)
        {
            [DeviceKey] = _deviceId!,
            [CommandKey] = _commandId!,
        };
        if (_baseUrl is not null)
        {
            parameters["baseurl"] = _baseUrl;
        }

        return new CommandItemRequestBuilder(parameters, _adapter);
    }

    private static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500 and <= 599;

    private bool DeadlineReached() => _deadline is { } deadline && _clock.GetUtcNow() >= deadline;

    /// <summary>
    /// The next poll: the scheduled delay after this poll, no later than the deadline (the last poll is sent at the
    /// deadline), then no sooner than a Retry-After asked (which may put it past the deadline).
    /// </summary>
    private void PlanNextPoll()
    {
        var now = _clock.GetUtcNow();
        TimeSpan delay;
        var hinted = false;
        if (_retryAfter is { } hint)
        {
            // the service knows when the next transition is: poll then, neither sooner (as asked) nor later
            delay = hint < MinHintedDelay ? MinHintedDelay : hint;
            hinted = true;
        }
        else
        {
            delay = WaitSchedule.Delay(_polls, _options.InitialDelay, _options.MaxDelay, WaitSchedule.Sample(_options.JitterSeed, _polls));
        }

        var next = CommandWaitCheckpoint.AddSafely(now, delay) ?? DateTimeOffset.MaxValue;
        if (!hinted && _deadline is { } deadline && next > deadline)
        {
            // the last poll is at the deadline; a hint past the deadline is kept, and the wait then ends there unpolled
            next = deadline;
        }

        _nextPollAt = next;
    }

    /// <summary>Where the next sleep ends: the next poll, or the deadline when the next poll is past it (then no poll follows).</summary>
    private (DateTimeOffset Target, bool Poll) SleepTarget()
    {
        var target = _nextPollAt!.Value;
        return _deadline is { } deadline && target > deadline ? (deadline, false) : (target, true);
    }

    /// <summary>
    /// The next timer towards <paramref name="target"/>; zero once it is reached. <c>Task.Delay</c> truncates to whole
    /// milliseconds (and completes at once under 1 ms): round up, so the timer never fires early and a wait never spins.
    /// </summary>
    private TimeSpan TimerFor(DateTimeOffset target)
    {
        var remaining = target - _clock.GetUtcNow();
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero
            : remaining < MaxTimer ? TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds))
            : MaxTimer;
    }

    /// <summary>Sleeps until the next poll; returns false (after sleeping until the deadline) when the next poll is past it.</summary>
    private async Task<bool> SleepUntilNextPollAsync(CancellationToken cancellationToken)
    {
        var (target, poll) = SleepTarget();
        for (var wait = TimerFor(target); wait > TimeSpan.Zero; wait = TimerFor(target))
        {
            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        }

        return poll;
    }

    private CommandWaitTimeoutException TimedOut() =>
        new(_last, _polls, CommandWaitTimeoutException.Describe(_last, _commandId, _polls));

    internal static string? StatusText(Command? command) => command?.RawStatus ?? command?.Status?.ToWireValue();
}
