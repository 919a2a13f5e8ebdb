using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace DeviceCommands.Client;

/// <summary>
/// The reading of a checkpoint's text form, strict: it takes what <see cref="ToString"/> writes and refuses, with the
/// reason, anything else (white space around it, a field that is missing, an escape that is not one, escapes that do
/// not decode as UTF-8, a character ToString never writes).
/// </summary>
public sealed partial class CommandWaitCheckpoint
{
    private const int FieldCount = 8;
    private const int MaxTextLength = 64 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a checkpoint written by <see cref="ToString"/>.</summary>
    /// <param name="text">The text form, exactly as written (no white space around it).</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a checkpoint; the message says which part and why.</exception>
    public static CommandWaitCheckpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(text, out var checkpoint) is { } problem
            ? throw new FormatException($"The text is not a command wait checkpoint (dcw1;deviceId;commandId;polls;startedAt;deadline;nextPollAt;lastStatus[;callbackKey]): {problem}.")
            : checkpoint!;
    }

    /// <summary>Reads a checkpoint written by <see cref="ToString"/>, without throwing.</summary>
    /// <param name="text">The text form, exactly as written (no white space around it).</param>
    /// <param name="checkpoint">The checkpoint, when the text is one.</param>
    /// <returns><see langword="true"/> when the text is a checkpoint.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out CommandWaitCheckpoint? checkpoint)
    {
        checkpoint = null;
        return text is not null && Read(text, out checkpoint) is null;
    }

    /// <summary>Reads <paramref name="text"/>; null and the checkpoint when it is one, else why not.</summary>
    private static string? Read(string text, out CommandWaitCheckpoint? checkpoint)
    {
        checkpoint = null;
        if (text.Length > MaxTextLength)
        {
            return "it is longer than 64 KiB";
        }

        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            return "it has white space before or after it";
        }

        var parts = text.Split(';');
        if (parts.Length is not (FieldCount or FieldCount + 1) || parts[0] != Prefix)
        {
            return parts[0] != Prefix ? "it does not start with 'dcw1;'" : $"it has {parts.Length} fields, not {FieldCount} or {FieldCount + 1}";
        }

        if (parts.Length > FieldCount && !Callbacks.CallbackKey.IsWellFormed(parts[FieldCount]))
        {
            return "its callback key is not one (22 URL-safe base64 characters)";
        }

        string? problem;
        if ((problem = Unescape(parts[1], "device id", out var deviceId)) is not null
            || (problem = Unescape(parts[2], "command id", out var commandId)) is not null
            || (problem = Unescape(parts[7], "last status", out var status)) is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(deviceId) || string.IsNullOrWhiteSpace(commandId))
        {
            return "its device id or command id is empty";
        }

        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var polls))
        {
            return "its poll count is not a whole number from 0 to 2147483647";
        }

        if ((problem = ReadTime(parts[4], "start time", out var startedAt)) is not null
            || (problem = ReadTime(parts[5], "deadline", out var deadline)) is not null
            || (problem = ReadTime(parts[6], "next poll time", out var next)) is not null)
        {
            return problem;
        }

        if (startedAt is null)
        {
            return "its start time is missing";
        }

        checkpoint = new CommandWaitCheckpoint(deviceId, commandId, polls, startedAt.Value, deadline, next, status.Length == 0 ? null : status)
        {
            CallbackKey = parts.Length > FieldCount ? parts[FieldCount] : null,
        };
        return null;
    }

    /// <summary>
    /// Decodes a field as <see cref="Uri.EscapeDataString(string)"/> wrote it: visible ASCII as is, <c>%XX</c> for the UTF-8
    /// bytes of anything else. Null when it decodes, else why not.
    /// </summary>
    private static string? Unescape(string field, string name, out string value)
    {
        value = string.Empty;
        var bytes = new byte[field.Length];
        var count = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c == '%')
            {
                if (i + 2 >= field.Length || !char.IsAsciiHexDigit(field[i + 1]) || !char.IsAsciiHexDigit(field[i + 2]))
                {
                    return $"its {name} has a '%' that does not start an escape of two hex digits (character {i + 1})";
                }

                bytes[count++] = (byte)((HexValue(field[i + 1]) << 4) | HexValue(field[i + 2]));
                i += 2;
            }
            else if (c is > ' ' and < '\x7f')
            {
                bytes[count++] = (byte)c;
            }
            else
            {
                return $"its {name} holds white space, a control character or a character outside ASCII (character {i + 1}), which a checkpoint's text never has: such characters are percent-encoded";
            }
        }

        try
        {
            value = StrictUtf8.GetString(bytes, 0, count);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return $"its {name}'s escapes are not UTF-8 (a byte sequence that is not a character, such as %C3%28, or half of a surrogate pair)";
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Reads a time in the round-trip format (<c>O</c>), or none from an empty field; null when it reads, else why not.</summary>
    private static string? ReadTime(string text, string name, out DateTimeOffset? time)
    {
        time = null;
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            time = parsed;
            return null;
        }

        return $"its {name} is not a time in ISO 8601's round-trip form (such as 2026-01-01T00:00:00.0000000+00:00)";
    }
}
