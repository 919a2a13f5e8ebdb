using System.Runtime.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>
/// The status of a command sent to a device, exactly as the service spells it on the wire
/// (see "List of actionStatus" on the service's reference page).
/// </summary>
/// <remarks>
/// Services add values over time: a status this enum does not know reads as
/// <see cref="Command.Status"/> <see langword="null"/>, with the text kept in <see cref="Command.RawStatus"/>.
/// </remarks>
public enum ActionStatus
{
    /// <summary>The command has been created and is waiting to be processed.</summary>
    [EnumMember(Value = "requesting")]
    Requesting,

    /// <summary>The command has been sent to the target device.</summary>
    [EnumMember(Value = "sentToTarget")]
    SentToTarget,

    /// <summary>The target device acknowledged receipt of the command and is executing it.</summary>
    [EnumMember(Value = "executing")]
    Executing,

    /// <summary>The command completed. The only successful terminal status.</summary>
    [EnumMember(Value = "completed")]
    Completed,

    /// <summary>The service failed to send the command to the target device. Terminal.</summary>
    [EnumMember(Value = "failedToSend")]
    FailedToSend,

    /// <summary>The command's execution failed; <see cref="Command.Error"/> may say why. Terminal.</summary>
    [EnumMember(Value = "executionFailed")]
    ExecutionFailed,

    /// <summary>The command was dropped by the device (for example in connected standby). Terminal.</summary>
    [EnumMember(Value = "commandDropped")]
    CommandDropped,

    /// <summary>Cancel the command.</summary>
    [EnumMember(Value = "cancel")]
    Cancel,

    /// <summary>The command is being cancelled.</summary>
    [EnumMember(Value = "cancelling")]
    Cancelling,

    /// <summary>The command has been cancelled. Terminal.</summary>
    [EnumMember(Value = "canceled")]
    Canceled,

    /// <summary>The service is retrying to send the command to the target.</summary>
    [EnumMember(Value = "retry")]
    Retry,

    /// <summary>The command's processing exceeded its expiry time. Terminal.</summary>
    [EnumMember(Value = "expired")]
    Expired,

    /// <summary>An internal error occurred while processing the command. Terminal.</summary>
    [EnumMember(Value = "error")]
    Error,

    /// <summary>A custom status. Not terminal by default.</summary>
    [EnumMember(Value = "custom")]
    Custom,
}
