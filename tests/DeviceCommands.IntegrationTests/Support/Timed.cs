using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests;

/// <summary>What a timed action threw, and how long it took in real time (<see cref="RealTime"/>).</summary>
internal sealed record Timed(Exception? Error, RealTime Time)
{
    /// <summary>The bound on a wait's end past its deadline, in real time, beyond the time the machine's timers ran late (<see cref="StallProbe"/>).</summary>
    public static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Runs <paramref name="action"/> and returns what it threw (null for nothing), how long it took in real time, and
    /// how late the machine's timers ran meanwhile (<see cref="StallProbe"/>).
    /// </summary>
    public static async Task<Timed> RunAsync(Func<Task> action)
    {
        var probe = StallProbe.Start();
        try
        {
            await action();
        }
#pragma warning disable CA1031 // the test inspects whatever was thrown
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new Timed(e, probe.Stop());
        }

        return new Timed(null, probe.Stop());
    }

    /// <inheritdoc cref="RealTime.AssertWithin"/>
    public void EndedWithin(TimeSpan earliest, TimeSpan latest) => Time.AssertWithin(earliest, latest);

    /// <summary>What a test prints: the time taken, the timers' lateness, and what was thrown.</summary>
    public override string ToString() => $"{Time}: {Error?.GetType().FullName}: {Error?.Message}";
}
