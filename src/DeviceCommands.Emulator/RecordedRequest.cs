namespace DeviceCommands.Emulator;

/// <summary>A request the emulator received, as <see cref="DeviceCommandsEmulator.GetRequests"/> keeps it.</summary>
/// <param name="Method">The method, e.g. <c>GET</c>.</param>
/// <param name="Path">The request target as received: path and query, percent-encoding untouched, e.g. <c>/beta/me/devices</c>.</param>
/// <param name="Headers">
/// The headers by name (case-insensitive; repeated headers joined with <c>", "</c>). The credentials of
/// <c>Authorization</c> and <c>Proxy-Authorization</c> are masked: <c>Bearer ***</c>.
/// </param>
/// <param name="Body">The body as UTF-8 text (bytes that are not UTF-8 read as U+FFFD); empty when there was none or it was not read.</param>
/// <param name="ReceivedAt">When it arrived, by the emulator's <see cref="EmulatorOptions.TimeProvider"/>.</param>
/// <param name="StatusCode">The status answered; null when no answer was sent (the client went away, or the emulator stopped).</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt,
    int? StatusCode);
