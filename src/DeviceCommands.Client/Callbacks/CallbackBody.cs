using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// Reads a callback's body with the model's own tolerant reader, only to decide whether it is worth a GET: a body that
/// reads as a non-terminal status of the wait's command is not; a terminal claim, another command's id, a body without
/// id or status, or one that cannot be read, is. Nothing read here ever becomes an outcome, and no code of the caller's
/// runs on it: a wait with terminal tests of its own (<c>IsTerminal</c>, <c>IsTerminalCommand</c>) polls on every
/// callback, and its tests judge only what the GET reads.
/// </summary>
internal static class CallbackBody
{
    /// <summary>Whether the body calls for a poll.</summary>
    /// <param name="body">The callback's body (at most 64 KiB).</param>
    /// <param name="commandId">The wait's command id; null before the POST has answered (then only a non-terminal body is let pass).</param>
    /// <param name="ownTerminalTests">Whether the wait has terminal tests of its own: then any body calls for a poll (the tests are not run on it).</param>
    public static bool CallsForPoll(ReadOnlySpan<byte> body, string? commandId, bool ownTerminalTests)
    {
        if (ownTerminalTests || Read(body) is not { } command || command.Status is null && command.RawStatus is null)
        {
            return true;
        }

        // the built-in test only: an unknown status (Status null) never ends a wait without tests of its own
        if (command.Status is { } status && status.IsTerminal())
        {
            return true;
        }

        return commandId is not null && !string.Equals(command.Id, commandId, StringComparison.Ordinal);
    }

    /// <summary>The body read as a command, or null when it is not one.</summary>
    public static Command? Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.Length > CommandCallbackReceiver.MaxBodyBytes)
        {
            return null;
        }

        try
        {
            using var document = JsonBody.Parse(body.ToArray(), out var careful);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return JsonBody.Root(document.RootElement, careful).GetObjectValue(Command.CreateFromDiscriminatorValue);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
