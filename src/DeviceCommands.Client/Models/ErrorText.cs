using System.Globalization;
using System.Text;

namespace DeviceCommands.Client.Models;

/// <summary>
/// How the package's error messages quote what the service sent (escaped, so a message is one line a service cannot
/// forge log lines into; cut when long) and how they end: with one full stop.
/// </summary>
internal static class ErrorText
{
    /// <summary><paramref name="text"/> as a sentence: trimmed, with a full stop unless it already ends with one (or ! or ?).</summary>
    public static string Sentence(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length > 0 && trimmed[^1] is '.' or '!' or '?' ? trimmed : trimmed + ".";
    }

    /// <summary>How a message names a command: <c>Command 'id'</c>, or <c>The command</c> when no id is known (never <c>''</c>).</summary>
    /// <param name="ids">The ids known, best first; the first that is not blank is used.</param>
    public static string CommandName(params ReadOnlySpan<string?> ids)
    {
        foreach (var id in ids)
        {
            if (!string.IsNullOrWhiteSpace(id))
            {
                return $"Command '{Quote(id)}'";
            }
        }

        return "The command";
    }

    /// <summary>The longest text a message quotes whole.</summary>
    public const int MaxQuoted = 200;

    /// <summary>
    /// <paramref name="text"/> fit to quote in a message: control characters and line or paragraph separators as
    /// escapes (<c>\r</c>, <c>\n</c>, <c>\u001B</c>), and cut after <see cref="MaxQuoted"/> characters with its length.
    /// </summary>
    public static string Quote(string text)
    {
        var cut = text.Length > MaxQuoted;
        var shown = !cut ? text.AsSpan() : text.AsSpan(0, char.IsHighSurrogate(text[MaxQuoted - 1]) ? MaxQuoted - 1 : MaxQuoted);
        if (!cut && !NeedsEscape(shown))
        {
            return text;
        }

        var quoted = new StringBuilder(shown.Length + 16);
        foreach (var c in shown)
        {
            _ = c switch
            {
                '\r' => quoted.Append("\\r"),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                _ when IsEscaped(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => quoted.Append(c),
            };
        }

        return cut ? quoted.Append(CultureInfo.InvariantCulture, $"… ({text.Length} characters)").ToString() : quoted.ToString();
    }

    private static bool NeedsEscape(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IsEscaped(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEscaped(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';
}
