using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows when its pending timers are due, so a test can drive a wait by
/// jumping exactly to its next wake-up (<see cref="RunAsync{T}"/>): poll times are then exact, and no test sleeps.
/// Also compiled into the benchmark project (its schedule simulation).
/// </summary>
internal sealed class WaitingTimeProvider : FakeTimeProvider
{
    private readonly List<TrackedTimer> _timers = [];

    public WaitingTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>The number of timers created so far (one per sleep).</summary>
    public int TimersCreated { get; private set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        TrackedTimer tracked = null!;
        var inner = base.CreateTimer(s => { tracked.Fired(); callback(s); }, state, dueTime, period);
        tracked = new TrackedTimer(this, inner);
        lock (_timers)
        {
            TimersCreated++;
            _timers.Add(tracked);
            tracked.Schedule(dueTime);
        }

        return tracked;
    }

    /// <summary>The timers created and neither fired nor disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_timers)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>The earliest due time among pending timers.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_timers)
        {
            return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
        }
    }

    /// <summary>Drives the task to its end by advancing the clock to each next timer; fails after 10 real seconds.</summary>
    public async Task<T> RunAsync<T>(Task<T> task)
    {
        await DriveAsync(task);
        return await task;
    }

    /// <summary>Drives the task to its end by advancing the clock to each next timer; fails after 10 real seconds.</summary>
    public async Task RunAsync(Task task)
    {
        await DriveAsync(task);
        await task;
    }

    private async Task DriveAsync(Task task)
    {
        var watch = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"The wait did not end within 10 real seconds of driving the fake clock (now {GetUtcNow():O}, next timer {NextDue():O}, timers created {TimersCreated}, task {task.Status}).");
            }

            if (NextDue() is { } due)
            {
                var step = due - GetUtcNow();

                // fire the timers with no synchronization context, so that the continuations they release run at
                // once, inside Advance (under xunit's context they would be queued, and the clock could move on
                // while a poll is still being answered)
                var context = SynchronizationContext.Current;
                SynchronizationContext.SetSynchronizationContext(null);
                try
                {
                    Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
                }
                finally
                {
                    SynchronizationContext.SetSynchronizationContext(context);
                }
            }

            await Task.Yield();
        }
    }

    private sealed class TrackedTimer(WaitingTimeProvider owner, ITimer inner) : ITimer
    {
        public DateTimeOffset? Due { get; private set; }

        public void Schedule(TimeSpan dueTime) =>
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;

        public void Fired()
        {
            lock (owner._timers)
            {
                Due = null;
                owner._timers.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._timers)
            {
                Schedule(dueTime);
            }

            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Fired();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Fired();
            return inner.DisposeAsync();
        }
    }
}
