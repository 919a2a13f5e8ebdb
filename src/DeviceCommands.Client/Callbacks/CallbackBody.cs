using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// Reads a callback's body with the model's own tolerant reader, only to decide whether it is worth a GET: a body that
/// reads as a non-terminal status of the wait's command is not; a terminal claim, another command's id, a body without
/// id or status, or one that cannot be read, is. Nothing read here ever becomes an outcome.
/// </summary>
internal static class CallbackBody
{
    /// <summary>Whether the body calls for a poll.</summary>
    /// <param name="body">The callback's body (at most 64 KiB).</param>
    /// <param name="commandId">The wait's command id; null before the POST has answered (then only a non-terminal body is let pass).</param>
    /// <param name="ends">The wait's own terminal test.</param>
    public static bool CallsForPoll(ReadOnlySpan<byte> body, string? commandId, Func<Command, bool> ends)
    {
        if (Read(body) is not { } command || command.Status is null && command.RawStatus is null)
        {
            return true;
        }

        if (ends(command))
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
