using DeviceCommands.Client.Models;

namespace DeviceCommands.Client;

/// <summary>
/// The outcome of one poll made by <see cref="CommandWaitExtensions.PollOnceAsync"/>: what was observed, whether the
/// wait is over, and the position to store for the next poll.
/// </summary>
public sealed class CommandPollResult
{
    /// <summary>Creates a poll result (public so that tests of orchestrations can fake one).</summary>
    /// <param name="command">The command observed; null when the poll failed transiently.</param>
    /// <param name="statusChanged">Whether the status differs from the checkpoint's <see cref="CommandWaitCheckpoint.LastStatus"/>.</param>
    /// <param name="checkpoint">The position after this poll.</param>
    /// <param name="result">The wait's result when the command reached a terminal status; else null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    public CommandPollResult(Command? command, bool statusChanged, CommandWaitCheckpoint checkpoint, CommandWaitResult? result)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Command = command;
        StatusChanged = statusChanged;
        Checkpoint = checkpoint;
        Result = result;
    }

    /// <summary>The command observed by this poll; null when the poll failed transiently (408, 429, 500, 502, 503, 504, a network failure, an attempt timeout).</summary>
    public Command? Command { get; }

    /// <summary>Whether the observed status differs from the one in the checkpoint the poll started from.</summary>
    public bool StatusChanged { get; }

    /// <summary>The position after this poll: store it, and pass it to the next <see cref="CommandWaitExtensions.PollOnceAsync"/>.</summary>
    public CommandWaitCheckpoint Checkpoint { get; }

    /// <summary>The wait's result when the command reached a terminal status; else null.</summary>
    public CommandWaitResult? Result { get; }

    /// <summary>Whether the wait is over (the command reached a terminal status, see <see cref="Result"/>).</summary>
    public bool IsCompleted => Result is not null;

    /// <summary>
    /// When to poll next (a durable timer's due time): the scheduled time, never sooner than a <c>Retry-After</c>
    /// asked; null when the wait is over. When it is past <see cref="CommandWaitCheckpoint.Deadline"/>, sleep until
    /// the deadline instead: the next <see cref="CommandWaitExtensions.PollOnceAsync"/> then throws
    /// <see cref="CommandWaitTimeoutException"/> without polling; one a callback asks for before then still polls, under the time left.
    /// </summary>
    public DateTimeOffset? NextPollAt => IsCompleted ? null : Checkpoint.NextPollAt;
}
