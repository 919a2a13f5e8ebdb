using System.Diagnostics;
using Xunit;

namespace DeviceCommands.TestSupport;

/// <summary>
/// Times an action in real time and measures how late this process's timers ran meanwhile: a 20 ms
/// <see cref="Task.Delay(TimeSpan)"/> loop on the thread pool, the machinery a client's deadline and attempt timeout
/// fire on. <see cref="RealTime.AssertWithin"/> allows a bound plus that lateness, so that a machine starved by other
/// builds and test processes does not fail a test, while a client that overruns on an idle machine still does.
/// </summary>
public sealed class StallProbe
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    /// <summary>Lateness of one tick that counts as on time (timer resolution, an ordinary dispatch).</summary>
    private static readonly TimeSpan OnTime = TimeSpan.FromMilliseconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _startedAt;
    private long _lateTicks;
    private long _tickStartedAt;

    private StallProbe()
    {
        _startedAt = _tickStartedAt = Stopwatch.GetTimestamp();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts measuring.</summary>
    /// <returns>The probe; call <see cref="Stop"/> when the timed action has ended.</returns>
    public static StallProbe Start() => new();

    /// <summary>Stops measuring.</summary>
    /// <returns>The time since <see cref="Start"/>, and how late the timers ran in all, the tick under way included (zero on an idle machine).</returns>
    public RealTime Stop()
    {
        var stoppedAt = Stopwatch.GetTimestamp();
        _stop.Cancel();
        _loop.GetAwaiter().GetResult(); // the loop ends at once: its delay is cancelled, and it catches that
        _stop.Dispose();

        // the last tick was cancelled, not counted: it counts up to the moment of Stop
        var pending = Late(Stopwatch.GetElapsedTime(_tickStartedAt, Math.Max(stoppedAt, _tickStartedAt)));
        return new RealTime(Stopwatch.GetElapsedTime(_startedAt, stoppedAt), TimeSpan.FromTicks(_lateTicks) + pending);
    }

    private static TimeSpan Late(TimeSpan took) => took - Tick - OnTime is { Ticks: > 0 } late ? late : TimeSpan.Zero;

    private async Task LoopAsync()
    {
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            Volatile.Write(ref _tickStartedAt, started);
            try
            {
                await Task.Delay(Tick, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Add(ref _lateTicks, Late(Stopwatch.GetElapsedTime(started)).Ticks);
        }
    }
}

/// <summary>How long a timed action took in real time, and how late the machine's timers ran meanwhile.</summary>
/// <param name="Elapsed">The real time the action took.</param>
/// <param name="Stall">How late the machine's timers ran meanwhile (zero on an idle machine).</param>
public readonly record struct RealTime(TimeSpan Elapsed, TimeSpan Stall)
{
    /// <summary>
    /// Asserts the action took at least <paramref name="earliest"/>, and at most <paramref name="latest"/> plus
    /// <see cref="Stall"/> (the client's timers could not fire sooner than the machine's).
    /// </summary>
    /// <param name="earliest">The shortest time allowed (<see cref="TimeSpan.Zero"/> for no lower bound).</param>
    /// <param name="latest">The bound on an idle machine.</param>
    public void AssertWithin(TimeSpan earliest, TimeSpan latest)
    {
        Assert.True(Elapsed >= earliest, $"ended after {Ms(Elapsed)}, before its earliest {Ms(earliest)}");
        Assert.True(Elapsed <= latest + Stall,
            $"ended after {Ms(Elapsed)}, past its bound of {Ms(latest)} plus {Ms(Stall)} that the machine's timers ran late meanwhile");
    }

    /// <summary>The time taken and the timers' lateness, as a test prints them.</summary>
    /// <returns>For example <c>ended after 1004 ms (timers ran 0 ms late meanwhile)</c>.</returns>
    public override string ToString() => $"ended after {Ms(Elapsed)} (timers ran {Ms(Stall)} late meanwhile)";

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds:F0} ms";
}
