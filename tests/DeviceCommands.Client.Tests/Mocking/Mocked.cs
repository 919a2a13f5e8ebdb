using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Mocking;

/// <summary>What the mocking tests share: the configuration type of the builders' methods, commands, the schedule.</summary>
internal static class Mocked
{
    public const string DeviceId = "dev-1";
    public const string CommandId = "cmd-1";

    /// <summary>A command at a status, as a poll or the POST answers.</summary>
    public static Command At(ActionStatus status, string id = CommandId) => new() { Id = id, Status = status };

    /// <summary>The times of polls 1..count of a wait that nothing but its schedule drives.</summary>
    public static List<DateTimeOffset> ScheduledTimes(CommandWaitOptions options, DateTimeOffset start, int count)
    {
        var times = new List<DateTimeOffset> { start };
        for (var poll = 1; poll < count; poll++)
        {
            times.Add(times[^1] + DeviceCommands.Client.Timing.Backoff.Wait(poll, options.InitialDelay, options.MaxDelay, options.JitterSeed));
        }

        return times;
    }
}
