using System.Globalization;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client;

/// <summary>
/// A wait's <see cref="CommandWaitOptions.Timeout"/> expired before the command reached a terminal status. The
/// command itself is not cancelled: it may still complete later.
/// </summary>
public class CommandWaitTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a message naming the command's id, its last status and the poll count.</summary>
    /// <param name="lastObserved">The command as last observed; null when no poll succeeded.</param>
    /// <param name="polls">The number of GET requests made.</param>
    public CommandWaitTimeoutException(Command? lastObserved, int polls)
        : this(lastObserved, polls, Describe(lastObserved, null, polls))
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="lastObserved">The command as last observed; null when no poll succeeded.</param>
    /// <param name="polls">The number of GET requests made.</param>
    /// <param name="message">What happened.</param>
    public CommandWaitTimeoutException(Command? lastObserved, int polls, string message)
        : base(message)
    {
        LastObserved = lastObserved;
        Polls = polls;
    }

    /// <summary>Creates the exception with a message of your own and the exception that ended the wait.</summary>
    /// <param name="lastObserved">The command as last observed; null when no poll succeeded.</param>
    /// <param name="polls">The number of GET requests made.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">What was under way when the deadline came.</param>
    public CommandWaitTimeoutException(Command? lastObserved, int polls, string message, Exception? innerException)
        : base(message, innerException)
    {
        LastObserved = lastObserved;
        Polls = polls;
    }

    /// <summary>The command as last observed; null when no poll succeeded.</summary>
    public Command? LastObserved { get; }

    /// <summary>The number of GET requests the wait made.</summary>
    public int Polls { get; }

    /// <summary>The message of a timeout; <paramref name="checkpointPolls"/> when the last status is the one a checkpoint recorded (after that many polls), not one read since the wait was resumed.</summary>
    internal static string Describe(Command? command, string? commandId, int polls, int? checkpointPolls = null)
    {
        var status = command is null ? "nothing was observed" : $"its last status was '{ErrorText.Quote(command.RawStatus ?? command.Status?.ToWireValue() ?? "(none)")}'";
        var when = command is not null && checkpointPolls is { } before
            ? string.Create(CultureInfo.InvariantCulture, $", recorded by the checkpoint the wait was resumed from (after {before} poll(s)); no poll since read the command, {polls} poll(s) in all")
            : string.Create(CultureInfo.InvariantCulture, $" after {polls} poll(s)");
        return $"{ErrorText.CommandName(command?.Id, commandId)} did not reach a terminal status before the wait's deadline: {status}{when}. The command was not cancelled.";
    }
}
