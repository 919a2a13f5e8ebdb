namespace DeviceCommands.Emulator;

/// <summary>The camelCase names of <see cref="DeviceBehavior"/> used by the admin API and the command line.</summary>
internal static class DeviceBehaviorNames
{
    /// <summary>The names, in the order of the enum's values.</summary>
    public static readonly string[] All = ["completes", "offline", "dropsCommands", "failsExecution", "tooSlow"];

    /// <summary>Reads a behavior by its camelCase name (any case), e.g. <c>failsExecution</c>.</summary>
    public static bool TryParse(string? text, out DeviceBehavior behavior)
    {
        int index = Array.FindIndex(All, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        behavior = (DeviceBehavior)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The camelCase name of a behavior.</summary>
    public static string NameOf(DeviceBehavior behavior) => All[(int)behavior];
}
