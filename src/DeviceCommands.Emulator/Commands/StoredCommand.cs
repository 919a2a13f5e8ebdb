using System.Security.Cryptography;
using System.Text.Json;

namespace DeviceCommands.Emulator.Commands;

/// <summary>An outcome scripted for one command: the status it ends with, and its <c>error</c> text (null: the standard one).</summary>
internal sealed record ScriptedOutcome(string Status, string? Error);

/// <summary>
/// A command as the emulator keeps it: what was posted, and what its device was like then. Immutable except for a
/// scripted outcome and the status last written to the transition log.
/// </summary>
internal sealed class StoredCommand
{
    private ScriptedOutcome? _outcome;

    public required string Id { get; init; }

    public required string DeviceId { get; init; }

    /// <summary>The device's behavior when the command was posted.</summary>
    public required DeviceBehavior Behavior { get; init; }

    /// <summary>The device's <see cref="EmulatedDevice.Error"/> when the command was posted.</summary>
    public string? DeviceError { get; init; }

    /// <summary><c>LaunchUri</c> or <c>AppService</c> (normalized), another type as sent, or null when the body had none.</summary>
    public string? Type { get; init; }

    /// <summary>Why a device could not run this command (nothing to launch, no app service named); null when it can.</summary>
    public string? Problem { get; init; }

    public string? AppServiceName { get; init; }
    public string? PackageFamilyName { get; init; }
    public string? PostBackUri { get; init; }
    public JsonElement? Payload { get; init; }
    public required string RequestBody { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? ClientRequestId { get; init; }

    /// <summary>The outcome a test scripted for it; null for the device's own.</summary>
    public ScriptedOutcome? Outcome
    {
        get => Volatile.Read(ref _outcome);
        set => Volatile.Write(ref _outcome, value);
    }

    /// <summary>The status the transition log last wrote; guarded by the store's lock.</summary>
    public string? LastLogged { get; set; }

    /// <summary>Whether the transition log has written the terminal status; guarded by the store's lock.</summary>
    public bool LoggedTerminal { get; set; }

    public static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
}
