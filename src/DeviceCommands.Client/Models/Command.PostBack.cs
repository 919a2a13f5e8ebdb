namespace DeviceCommands.Client.Models;

/// <summary>The copy of a command that a wait with callbacks sends, so the caller's instance is never changed.</summary>
public partial class Command
{
    /// <summary>A shallow copy of this command with <paramref name="postBackUri"/> as its <see cref="PostBackUri"/>.</summary>
    internal Command WithPostBackUri(Uri postBackUri)
    {
        var copy = (Command)MemberwiseClone();
        copy.PostBackUri = postBackUri.AbsoluteUri;
        return copy;
    }
}
