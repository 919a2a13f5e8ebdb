namespace DeviceCommands.Emulator;

/// <summary>A command's status at one moment, and how long it keeps it (null when terminal).</summary>
internal readonly record struct StatusAt(string Status, TimeSpan? Remaining)
{
    public bool IsTerminal => Remaining is null;
}

/// <summary>
/// Computes a command's status lazily from its age: no timer per command. Each device behavior is a list of
/// non-terminal statuses, each held for one step, followed by a terminal status.
/// </summary>
internal static class CommandLifecycle
{
    public const string Requesting = "requesting";

    private static readonly string[] ToExecuting = [Requesting, "sentToTarget", "executing"];
    private static readonly string[] ToRequesting = [Requesting];
    private static readonly string[] ToSent = [Requesting, "sentToTarget"];
    private static readonly string[] Slow = [Requesting, "sentToTarget", "executing", "executing", "executing", "executing", "executing"];

    public static StatusAt Evaluate(DeviceBehavior behavior, TimeSpan age, TimeSpan step)
    {
        (string[] steps, string terminal) = Path(behavior);
        long index = step <= TimeSpan.Zero ? long.MaxValue : Math.Max(0, age.Ticks) / step.Ticks;
        if (index >= steps.Length)
        {
            return new StatusAt(terminal, null);
        }

        return new StatusAt(steps[index], TimeSpan.FromTicks(step.Ticks - (Math.Max(0, age.Ticks) % step.Ticks)));
    }

    /// <summary>How long after its creation a command on a device with this behavior becomes terminal.</summary>
    public static TimeSpan TimeToTerminal(DeviceBehavior behavior, TimeSpan step) => step * Path(behavior).Steps.Length;

    /// <summary>The standard <c>error</c> text of a failure status; null for a status that is not a failure.</summary>
    public static string? ErrorFor(string status) => status switch
    {
        "failedToSend" => "The service could not send the command: the device is offline.",
        "commandDropped" => "The device dropped the command: it is in connected standby.",
        "executionFailed" => "The app service on the device failed to execute the command.",
        "expired" => "The command was not executed before it expired.",
        _ => null,
    };

    private static (string[] Steps, string Terminal) Path(DeviceBehavior behavior) => behavior switch
    {
        DeviceBehavior.Offline => (ToRequesting, "failedToSend"),
        DeviceBehavior.DropsCommands => (ToSent, "commandDropped"),
        DeviceBehavior.FailsExecution => (ToExecuting, "executionFailed"),
        DeviceBehavior.TooSlow => (Slow, "expired"),
        _ => (ToExecuting, "completed"),
    };
}
