namespace DeviceCommands.Emulator.Commands;

/// <summary>
/// A command's status at one moment; how long it keeps it (null once it has its final status); its <c>error</c> text;
/// and, for a completed command, when it completed (the date of its response payload).
/// </summary>
internal readonly record struct StatusAt(string Status, TimeSpan? Remaining, string? Error = null, DateTimeOffset? CompletedAt = null)
{
    public bool IsTerminal => Remaining is null;
}
