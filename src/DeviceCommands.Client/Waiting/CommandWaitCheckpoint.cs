using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace DeviceCommands.Client;

/// <summary>
/// The position of a wait: the command, the polls so far, the start, the deadline and the next poll. It round-trips as
/// one line of text (<see cref="ToString"/>, <see cref="Parse"/>), so a wait can be resumed elsewhere
/// (<see cref="CommandWaitExtensions.ResumeWaitAsync"/>) or driven a poll at a time (<see cref="CommandWaitExtensions.PollOnceAsync"/>).
/// </summary>
/// <remarks>It holds no token; its callback key only lets its holder wake the wait. The text form: docs/waiting.md ("Checkpoints").</remarks>
public sealed partial class CommandWaitCheckpoint
{
    private const string Prefix = "dcw1";
    private string? _callbackKey;

    /// <summary>Creates a checkpoint.</summary>
    /// <param name="deviceId">The device's id.</param>
    /// <param name="commandId">The command's id.</param>
    /// <param name="polls">The polls (GET requests) made so far; 0 for a wait that has not polled yet.</param>
    /// <param name="startedAt">When the wait started.</param>
    /// <param name="deadline">When the wait times out; null for none.</param>
    /// <param name="nextPollAt">When the next poll is due; null for at once.</param>
    /// <param name="lastStatus">The status last observed, as the service sent it; null if none.</param>
    /// <exception cref="ArgumentException">An id is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    public CommandWaitCheckpoint(string deviceId, string commandId, int polls, DateTimeOffset startedAt, DateTimeOffset? deadline, DateTimeOffset? nextPollAt = null, string? lastStatus = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(commandId);
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        DeviceId = deviceId;
        CommandId = commandId;
        Polls = polls;
        StartedAt = startedAt;
        Deadline = deadline;
        NextPollAt = nextPollAt;
        LastStatus = lastStatus;
    }

    /// <summary>The device's id.</summary>
    public string DeviceId { get; }

    /// <summary>The command's id.</summary>
    public string CommandId { get; }

    /// <summary>The polls (GET requests) made so far; the place in the schedule.</summary>
    public int Polls { get; }

    /// <summary>When the wait started (its <see cref="CommandWaitResult.Elapsed"/> counts from here).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the wait times out; null for a wait without timeout.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>
    /// When the next poll is due (never sooner than a <c>Retry-After</c> asked); null for at once. It may be later
    /// than <see cref="Deadline"/> when the service asked to wait longer: the wait then times out at the deadline
    /// without polling.
    /// </summary>
    public DateTimeOffset? NextPollAt { get; }

    /// <summary>The status last observed, as the service sent it (<see cref="Models.Command.RawStatus"/>); null if none.</summary>
    public string? LastStatus { get; }

    /// <summary>
    /// The key of the wait's callback URL (<c>{CallbackBaseUrl}/{key}</c>), or null for a wait without callbacks. A wait
    /// resumed with <see cref="CommandWaitOptions.Callbacks"/> set registers it again, so its callbacks still wake it.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a key (22 URL-safe base64 characters).</exception>
    public string? CallbackKey
    {
        get => _callbackKey;
        init => _callbackKey = value is null || Callbacks.CallbackKey.IsWellFormed(value) ? value
            : throw new ArgumentException("A callback key is 22 URL-safe base64 characters (CommandCallbackReceiver.NewKey).", nameof(CallbackKey));
    }

    /// <summary>A checkpoint for a wait that starts now and has not polled yet.</summary>
    /// <param name="deviceId">The device's id.</param>
    /// <param name="commandId">The command's id.</param>
    /// <param name="options">The options whose <see cref="CommandWaitOptions.Timeout"/> sets the deadline; null for the defaults.</param>
    /// <param name="timeProvider">The clock; null for <see cref="CommandWaitOptions.TimeProvider"/>, else the system clock.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentException">An id is empty or an option is out of range.</exception>
    public static CommandWaitCheckpoint Start(string deviceId, string commandId, CommandWaitOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new CommandWaitOptions();
        options.Validate();
        var now = (timeProvider ?? options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        return new CommandWaitCheckpoint(deviceId, commandId, 0, now, AddSafely(now, options.Timeout));
    }

    /// <summary>The checkpoint as one line of text, for <see cref="Parse"/>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(96);
        text.Append(Prefix).Append(';')
            .Append(Uri.EscapeDataString(DeviceId)).Append(';')
            .Append(Uri.EscapeDataString(CommandId)).Append(';')
            .Append(Polls.ToString(CultureInfo.InvariantCulture)).Append(';')
            .Append(Format(StartedAt)).Append(';')
            .Append(Deadline is { } d ? Format(d) : string.Empty).Append(';')
            .Append(NextPollAt is { } n ? Format(n) : string.Empty).Append(';')
            .Append(LastStatus is null ? string.Empty : Uri.EscapeDataString(LastStatus));
        if (CallbackKey is not null)
        {
            text.Append(';').Append(CallbackKey);
        }

        return text.ToString();
    }

    /// <summary>A copy at a new position.</summary>
    internal CommandWaitCheckpoint With(int polls, DateTimeOffset? nextPollAt, string? lastStatus) =>
        new(DeviceId, CommandId, polls, StartedAt, Deadline, nextPollAt, lastStatus) { CallbackKey = CallbackKey };

    /// <summary><paramref name="time"/> + <paramref name="span"/>, or null when there is no span or the sum is past the calendar's end.</summary>
    internal static DateTimeOffset? AddSafely(DateTimeOffset time, TimeSpan? span) =>
        span is not { } s ? null
        : s > DateTimeOffset.MaxValue - time ? null
        : time + s;

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a callback's body is worth a GET for the wait at this checkpoint: false only when it reads, with the
    /// model's tolerant reader, as a non-terminal status of this checkpoint's command. For engines that receive the
    /// callbacks themselves: when true, call <see cref="CommandWaitExtensions.PollOnceAsync"/> with this checkpoint now.
    /// The options' terminal tests never run on the body: with one, every body is worth a GET, whose answer they judge.
    /// </summary>
    /// <param name="callbackBody">The callback's body, as received (a hint, never the truth).</param>
    /// <param name="options">The wait's options (whether they have terminal tests of their own); null for the defaults.</param>
    /// <returns>Whether to poll now.</returns>
    public bool CallsForPoll(ReadOnlySpan<byte> callbackBody, CommandWaitOptions? options = null) =>
        Callbacks.CallbackBody.CallsForPoll(callbackBody, CommandId, options is not null && CommandPoller.HasOwnTerminalTests(options));
}
