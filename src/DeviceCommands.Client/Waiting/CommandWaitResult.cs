using DeviceCommands.Client.Models;

namespace DeviceCommands.Client;

/// <summary>How a wait for a command ended: the terminal command, its status, and what the wait cost.</summary>
public sealed class CommandWaitResult
{
    /// <summary>Creates a result (the waits create them; public so that tests of user code can fake one).</summary>
    /// <param name="command">The last observed command.</param>
    /// <param name="status">Its status.</param>
    /// <param name="polls">The number of GET requests made for the status.</param>
    /// <param name="elapsed">The time from the start of the wait to its end.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    public CommandWaitResult(Command command, ActionStatus status, int polls, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        Command = command;
        Status = status;
        Polls = polls;
        Elapsed = elapsed;
    }

    /// <summary>The last observed command, the one that ended the wait.</summary>
    public Command Command { get; }

    /// <summary>
    /// The command's status. When the wait was ended by <see cref="CommandWaitOptions.IsTerminalCommand"/> on a
    /// status this version does not know, <see cref="ActionStatus.Custom"/> (the text is in <see cref="Command.RawStatus"/>).
    /// </summary>
    public ActionStatus Status { get; }

    /// <summary>Whether the command succeeded: <see cref="ActionStatusExtensions.IsSuccess(ActionStatus)"/> of <see cref="Status"/>.</summary>
    public bool Succeeded => Status.IsSuccess();

    /// <summary>The number of GET requests made for the status (failed ones included; the POST of a send is not counted).</summary>
    public int Polls { get; }

    /// <summary>The time from the start of the wait (of the original wait, for a resumed one) to its end, on the wait's clock.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Returns this result if the command succeeded; throws otherwise.</summary>
    /// <returns>This result.</returns>
    /// <exception cref="CommandFailedException">The command ended with a status other than <see cref="ActionStatus.Completed"/>.</exception>
    public CommandWaitResult EnsureSuccess() => Succeeded ? this : throw new CommandFailedException(Command, Status);
}
