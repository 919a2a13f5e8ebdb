using System.Diagnostics;

namespace DeviceCommands.Testing;

// The driver of RunAsync: runs the work, and moves the clock to the next timer whenever the work waits only on it;
// reports a stall when the work waits on something else.
public sealed partial class VirtualClock
{
    /// <summary>
    /// Runs <paramref name="work"/> and moves the clock whenever it waits only on this clock's timers, until it ends.
    /// </summary>
    /// <param name="work">The test's work, for example a wait for a command.</param>
    /// <param name="cancellationToken">Stops driving the clock (the work itself is not cancelled).</param>
    /// <returns>The work's task.</returns>
    /// <exception cref="InvalidOperationException">The work waited 30 s of real time on something that is neither this clock nor marked work, or on marked work that did not end.</exception>
#pragma warning disable RS0026 // two overloads with an optional token: the shape the API contract fixes (like Task.Run)
    public async Task RunAsync(Func<Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await DriveAsync(() => Start(work), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> and moves the clock whenever it waits only on this clock's timers, until it ends.
    /// </summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="work">The test's work, for example a wait for a command.</param>
    /// <param name="cancellationToken">Stops driving the clock (the work itself is not cancelled).</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="InvalidOperationException">The work waited 30 s of real time on something that is neither this clock nor marked work, or on marked work that did not end.</exception>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        Task<T>? task = null;
        await DriveAsync(() => task = Start(work), cancellationToken).ConfigureAwait(false);
        return await task!.ConfigureAwait(false);
    }
#pragma warning restore RS0026

    /// <summary>Starts the work with no synchronization context, so that its continuations run inline as timers fire.</summary>
    private static TTask Start<TTask>(Func<TTask> work)
        where TTask : Task
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return work() ?? throw new InvalidOperationException("The work returned no task.");
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <summary>
    /// Drives the clock under work that starts once this is the driver, so that every piece of marked work the work
    /// begins hands its end to the driver, from the very first.
    /// </summary>
    private async Task DriveAsync(Func<Task> start, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _drivers++;
        }

        try
        {
            var task = start();
            await DriveCoreAsync(task, cancellationToken).ConfigureAwait(false);
            await task.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _drivers--;
            }

            // nothing handed to a driver is left behind when the last one stops
            RunReady();
        }
    }

    private async Task DriveCoreAsync(Task task, CancellationToken cancellationToken)
    {
        var stalledSince = Stopwatch.GetTimestamp();
        while (!task.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (RunReady() || await WaitForWorkAsync(task, cancellationToken).ConfigureAwait(false) || !await SettledAsync(task).ConfigureAwait(false))
            {
                stalledSince = Stopwatch.GetTimestamp();
                continue;
            }

            DateTimeOffset? next = NextTimerDue;
            bool pending = next is not null;
            if (next is { } due && AdvanceTo(Math.Max(due.UtcTicks, Volatile.Read(ref _now))))
            {
                stalledSince = Stopwatch.GetTimestamp();
                continue;
            }

            // Nothing moved, or only periodic timers ticked and re-armed themselves (a heartbeat, the emulator's
            // transition log): that is no progress of the work, which would otherwise spin through virtual time for ever.
            if (Stopwatch.GetElapsedTime(stalledSince) > StallLimit)
            {
                throw new InvalidOperationException(
                    $"The work under VirtualClock.RunAsync has waited {StallLimit.TotalSeconds:0} s of real time on something that is neither this clock's timers nor work marked with BeginWork (a real socket, a lock, another clock?); the clock is at {GetUtcNow():O} with "
                    + (pending ? "only periodic timers firing." : "no timer pending."));
            }

            if (!pending)
            {
                // the work waits on something outside this clock (a real socket): give it real time to happen
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits, without moving the clock, while marked work is under way and has handed nothing back; true when it had to
    /// wait (the caller then looks again).
    /// </summary>
    private async Task<bool> WaitForWorkAsync(Task task, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_working == 0 || _ready.Count > 0)
            {
                return false;
            }

            changed = (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        try
        {
            await Task.WhenAny(changed, task).WaitAsync(StallLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException(
                $"The work under VirtualClock.RunAsync has waited {StallLimit.TotalSeconds:0} s of real time for marked work to end (a request through Track, or a BeginWork mark not disposed); the clock is at {GetUtcNow():O}.",
                e);
        }

        return true;
    }

    /// <summary>
    /// Lets work queued on the thread pool run (three trips through its queue), and tells whether everything stood
    /// still meanwhile: no timer made, changed or fired, and no marked work begun or ended. Work that runs on other
    /// threads without being marked is not seen: mark it (<see cref="BeginWork"/>, <see cref="Track"/>).
    /// </summary>
    private async Task<bool> SettledAsync(Task task)
    {
        var version = Volatile.Read(ref _version);
        for (var probe = 0; probe < 3; probe++)
        {
            await ThroughThePoolsQueue().ConfigureAwait(false);
            if (task.IsCompleted)
            {
                return true;
            }
        }

        lock (_gate)
        {
            return _working == 0 && _version == version;
        }
    }

    /// <summary>
    /// One trip through the thread pool's global queue, behind everything queued before it. Not <c>Task.Run</c>: from a
    /// pool thread that queues locally, last in first out, and would run ahead of a test double's queued continuation.
    /// </summary>
    private static Task ThroughThePoolsQueue()
    {
        var done = new TaskCompletionSource();
        ThreadPool.UnsafeQueueUserWorkItem(static state => ((TaskCompletionSource)state!).SetResult(), done, preferLocal: false);
        return done.Task;
    }
}
