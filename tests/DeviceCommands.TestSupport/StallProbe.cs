using System.Diagnostics;

namespace DeviceCommands.TestSupport;

/// <summary>
/// Measures how late this process's timers run while a timed test runs: a 20 ms <see cref="Task.Delay(TimeSpan)"/>
/// loop on the thread pool, the machinery a client's deadline and attempt timeout fire on. A test of a real-time bound
/// allows the bound plus <see cref="Stop"/>'s figure, so that a machine starved by other builds and test processes
/// does not fail it, while a client that overruns on an idle machine still does.
/// </summary>
public sealed class StallProbe
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    /// <summary>Lateness of one tick that counts as on time (timer resolution, an ordinary dispatch).</summary>
    private static readonly TimeSpan OnTime = TimeSpan.FromMilliseconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lateTicks;
    private long _tickStartedAt;

    private StallProbe()
    {
        _tickStartedAt = Stopwatch.GetTimestamp();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts measuring.</summary>
    /// <returns>The probe; call <see cref="Stop"/> when the timed action has ended.</returns>
    public static StallProbe Start() => new();

    /// <summary>Stops measuring.</summary>
    /// <returns>How late the timers ran in all, the tick under way included (zero on an idle machine).</returns>
    public TimeSpan Stop()
    {
        var stoppedAt = Stopwatch.GetTimestamp();
        _stop.Cancel();
        _loop.GetAwaiter().GetResult(); // the loop ends at once: its delay is cancelled, and it catches that
        _stop.Dispose();

        // the last tick was cancelled, not counted: it counts up to the moment of Stop
        var pending = Late(Stopwatch.GetElapsedTime(_tickStartedAt, Math.Max(stoppedAt, _tickStartedAt)));
        return TimeSpan.FromTicks(_lateTicks) + pending;
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
