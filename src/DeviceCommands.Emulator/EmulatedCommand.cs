namespace DeviceCommands.Emulator;

/// <summary>A snapshot of a command the emulator accepted, for tests that count what was sent.</summary>
/// <param name="Id">The command id the emulator generated (64 uppercase hex characters).</param>
/// <param name="DeviceId">The id of the device the command was posted to.</param>
/// <param name="Type">The command type: <c>LaunchUri</c> or <c>AppService</c> (in any case when sent), another type as sent, or empty when the body had none.</param>
/// <param name="RequestBody">The POST body exactly as received (UTF-8 text).</param>
/// <param name="CreatedAt">When the emulator accepted it, by the emulator's <see cref="EmulatorOptions.TimeProvider"/>.</param>
/// <param name="ClientRequestId">The POST's <c>client-request-id</c> header, or null when it had none.</param>
/// <param name="Status">The command's status when the snapshot was taken, e.g. <c>executing</c>.</param>
public sealed record EmulatedCommand(
    string Id,
    string DeviceId,
    string Type,
    string RequestBody,
    DateTimeOffset CreatedAt,
    string? ClientRequestId,
    string Status);
