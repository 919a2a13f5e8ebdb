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
}
