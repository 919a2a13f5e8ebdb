namespace DeviceCommands.Emulator;

/// <summary>What an emulated device does with the commands sent to it.</summary>
public enum DeviceBehavior
{
    /// <summary>Every command goes <c>requesting → sentToTarget → executing → completed</c>.</summary>
    Completes,

    /// <summary>The device is unreachable: <c>requesting → failedToSend</c>.</summary>
    Offline,

    /// <summary>The device is in connected standby: <c>requesting → sentToTarget → commandDropped</c>.</summary>
    DropsCommands,

    /// <summary>The command fails on the device: <c>requesting → sentToTarget → executing → executionFailed</c>, with an <c>error</c> text.</summary>
    FailsExecution,

    /// <summary>The device never finishes: <c>requesting → sentToTarget → executing</c> for five steps, then <c>expired</c>.</summary>
    TooSlow,
}

/// <summary>A device that the emulator lists under <c>GET me/devices</c> and accepts commands for.</summary>
/// <param name="Id">The device's opaque id; any non-empty string (it is matched ordinally, case-sensitively).</param>
public sealed record EmulatedDevice(string Id)
{
    /// <summary>The display name. Default <c>"Emulated device"</c>.</summary>
    public string Name { get; init; } = "Emulated device";

    /// <summary>The form factor, e.g. <c>Laptop</c>, <c>Phone</c>, <c>Tablet</c>. Default <c>"Laptop"</c>.</summary>
    public string? Kind { get; init; } = "Laptop";

    /// <summary>The manufacturer. Default <c>"Contoso"</c>.</summary>
    public string? Manufacturer { get; init; } = "Contoso";

    /// <summary>The model. Default null (not listed).</summary>
    public string? Model { get; init; }

    /// <summary>The platform, e.g. <c>Windows</c>, <c>Android</c>. Default <c>"Windows"</c>.</summary>
    public string? Platform { get; init; } = "Windows";

    /// <summary>The status listed for the device, e.g. <c>Online</c>, <c>Offline</c>, <c>Unknown</c>. Default <c>"Online"</c>.</summary>
    public string? Status { get; init; } = "Online";

    /// <summary>What the device does with commands. Default <see cref="DeviceBehavior.Completes"/>.</summary>
    public DeviceBehavior Behavior { get; init; } = DeviceBehavior.Completes;

    /// <summary>
    /// The <c>error</c> text of a command that ends in a failure status on this device; null (default) gives a
    /// standard text per failure.
    /// </summary>
    public string? Error { get; init; }
}
