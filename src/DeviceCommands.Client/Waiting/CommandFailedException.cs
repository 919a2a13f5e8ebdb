using System.Globalization;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client;

/// <summary>A command ended with a status other than <see cref="ActionStatus.Completed"/> (thrown by <see cref="CommandWaitResult.EnsureSuccess"/>).</summary>
public class CommandFailedException : Exception
{
    /// <summary>Creates the exception with a message naming the command's id, status and error.</summary>
    /// <param name="command">The command that failed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public CommandFailedException(Command command)
        : this(command, Describe(command, null))
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="command">The command that failed.</param>
    /// <param name="message">What went wrong.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public CommandFailedException(Command command, string message)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    internal CommandFailedException(Command command, ActionStatus status)
        : this(command, Describe(command, status))
    {
    }

    /// <summary>The command as last observed.</summary>
    public Command Command { get; }

    private static string Describe(Command? command, ActionStatus? status)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = command.RawStatus ?? (status ?? command.Status)?.ToWireValue() ?? "(none)";
        var ended = string.Create(CultureInfo.InvariantCulture, $"{ErrorText.CommandName(command.Id)} ended with status '{ErrorText.Quote(text)}'");
        return string.IsNullOrWhiteSpace(command.Error) ? ended + "." : ErrorText.Sentence($"{ended}: {ErrorText.Quote(command.Error)}");
    }
}
