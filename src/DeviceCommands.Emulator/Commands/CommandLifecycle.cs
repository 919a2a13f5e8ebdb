namespace DeviceCommands.Emulator.Commands;

/// <summary>
/// Every decision about a command's life, computed lazily from its age (no timer per command): the non-terminal
/// statuses of its device's behavior, each held for one step, then how it ends. It ends with the outcome a test
/// scripted for it, if any; else, on a device that completes commands, <c>executionFailed</c> when the device could
/// not run it (nothing to launch, no app service named), or <c>completed</c>; else the behavior's failure status.
/// </summary>
internal static class CommandLifecycle
{
    public const string Requesting = "requesting";
    public const string Completed = "completed";
    public const string ExecutionFailed = "executionFailed";

    private static readonly string[] ToExecuting = [Requesting, "sentToTarget", "executing"];
    private static readonly string[] ToRequesting = [Requesting];
    private static readonly string[] ToSent = [Requesting, "sentToTarget"];
    private static readonly string[] Slow = [Requesting, "sentToTarget", "executing", "executing", "executing", "executing", "executing"];

    /// <summary>The status of a command at <paramref name="now"/>, with its error text and completion time.</summary>
    public static StatusAt StateOf(StoredCommand command, DateTimeOffset now, TimeSpan step)
    {
        (string[] steps, string terminal) = Path(command.Behavior);
        StatusAt at = Evaluate(steps, terminal, now - command.CreatedAt, step);
        if (!at.IsTerminal)
        {
            return at;
        }

        (string status, string? error) = command.Outcome is { } outcome ? (outcome.Status, outcome.Error ?? ErrorFor(outcome.Status))
            : command.Behavior == DeviceBehavior.Completes && command.Problem is { } problem ? (ExecutionFailed, problem)
            : (terminal, ErrorFor(terminal) is { } standard ? command.DeviceError ?? standard : null);
        DateTimeOffset? completedAt = status == Completed ? command.CreatedAt + (step * steps.Length) : null;
        return new StatusAt(status, null, error, completedAt);
    }

    /// <summary>The status of a command of a device with this behavior, <paramref name="age"/> after it was posted.</summary>
    public static StatusAt Evaluate(DeviceBehavior behavior, TimeSpan age, TimeSpan step)
    {
        (string[] steps, string terminal) = Path(behavior);
        return Evaluate(steps, terminal, age, step);
    }

    /// <summary>The standard <c>error</c> text of a failure status; null for a status that is not a failure.</summary>
    public static string? ErrorFor(string status) => status switch
    {
        "failedToSend" => "The service could not send the command: the device is offline.",
        "commandDropped" => "The device dropped the command: it is in connected standby.",
        ExecutionFailed => "The device failed to execute the command.",
        "expired" => "The command was not executed before it expired.",
        "error" => "An internal error occurred while the command was processed.",
        _ => null,
    };

    private static StatusAt Evaluate(string[] steps, string terminal, TimeSpan age, TimeSpan step)
    {
        long ticks = Math.Max(0, age.Ticks);
        long index = step <= TimeSpan.Zero ? long.MaxValue : ticks / step.Ticks;
        if (index >= steps.Length)
        {
            return new StatusAt(terminal, null);
        }

        return new StatusAt(steps[index], TimeSpan.FromTicks(step.Ticks - (ticks % step.Ticks)));
    }

    private static (string[] Steps, string Terminal) Path(DeviceBehavior behavior) => behavior switch
    {
        DeviceBehavior.Offline => (ToRequesting, "failedToSend"),
        DeviceBehavior.DropsCommands => (ToSent, "commandDropped"),
        DeviceBehavior.FailsExecution => (ToExecuting, ExecutionFailed),
        DeviceBehavior.TooSlow => (Slow, "expired"),
        _ => (ToExecuting, Completed),
    };
}
