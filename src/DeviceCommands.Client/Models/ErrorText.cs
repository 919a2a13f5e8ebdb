namespace DeviceCommands.Client.Models;

/// <summary>How the package's error messages end: with one full stop, whatever the text they quote ends with.</summary>
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
                return $"Command '{id}'";
            }
        }

        return "The command";
    }
}
