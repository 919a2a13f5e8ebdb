using System.Diagnostics;

namespace DeviceCommands.Emulator;

/// <summary>
/// A clock for tests that moves itself: while the work given to <see cref="RunAsync(Func{Task}, CancellationToken)"/>
/// waits only on this clock's timers (no request in flight, nothing runnable), the clock jumps to the next timer that
/// is due and fires it, so a command whose life takes an hour completes in milliseconds of real time. The same test
/// gives the same sequence of polls, statuses and elapsed times on every run (with a jitter seed). It can also be
/// moved by hand, like <c>FakeTimeProvider</c> (<see cref="Advance"/>).
/// </summary>
/// <remarks>
/// <para>
/// Give the one clock to everything that keeps time: <c>EmulatorOptions.TimeProvider</c> (the commands' lives, the
/// emulator's faults and hints), <c>DeviceCommandsClientOptions.TimeProvider</c> (the retry backoff, <c>Retry-After</c>
/// dates, the attempt timeout, and the waits unless their options name another clock).
/// </para>
/// <para>
/// Timers fire on the thread that moves the clock, with no synchronization context, so the continuations they release
/// (code awaiting with <c>ConfigureAwait(false)</c>) run at once, inside the move. A test double that answers requests
/// on other threads (MockHttp's handler does) goes through <see cref="Track"/>, which marks each request as work and
/// hands its answer to the thread that drives the clock, so the clock never moves while a request is being answered,
/// and an attempt timeout cannot fire because of a jump. The in-memory emulator needs none of this.
/// </para>
/// </remarks>
public sealed class VirtualClock : TimeProvider
{
    /// <summary>The instant a clock made with <see cref="VirtualClock()"/> starts at: 2026-01-01 00:00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);


    private readonly Lock _gate = new();
    private readonly SortedSet<Timer> _timers = new(TimerOrder.Instance);
    private long _now;
    private long _sequence;
    private long _version;
    private int _working;
    private int _drivers;
    private readonly Queue<Action> _ready = new();
    private TaskCompletionSource? _changed;

    /// <summary>Creates a clock at <see cref="DefaultStart"/>.</summary>
    public VirtualClock()
        : this(DefaultStart)
    {
    }

    /// <summary>Creates a clock at <paramref name="start"/>.</summary>
    /// <param name="start">The clock's first instant.</param>
    public VirtualClock(DateTimeOffset start) => _now = start.UtcTicks;

    /// <summary>How long <see cref="RunAsync(Func{Task}, CancellationToken)"/> waits, in real time, for work that waits on neither this clock nor marked work, before it gives up. Default 30 s.</summary>
    internal TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The timers made on this clock that have neither fired (for one-shot timers) nor been disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>When the next timer is due; null when none is.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count == 0 ? null : new DateTimeOffset(_timers.Min!.Due, TimeSpan.Zero);
            }
        }
    }

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _now), TimeSpan.Zero);

    /// <inheritdoc/>
    public override long GetTimestamp() => Volatile.Read(ref _now);

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way, in order, each
    /// at its own due time.
    /// </summary>
    /// <param name="delta">How far to move; zero fires the timers already due.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            target = _now + delta.Ticks;
        }

        AdvanceTo(target);
    }

    /// <summary>
    /// Marks work under way that does not wait on this clock, such as a request being answered on another thread:
    /// <see cref="RunAsync(Func{Task}, CancellationToken)"/> does not move the clock until it is disposed.
    /// </summary>
    /// <returns>The mark; dispose it when the work is done.</returns>
    public IDisposable BeginWork()
    {
        lock (_gate)
        {
            _working++;
            _version++;
        }

        return new WorkMark(this);
    }

    /// <summary>
    /// A handler over <paramref name="handler"/> that marks each request it passes on as work under way (see
    /// <see cref="BeginWork"/>) until the answer is back, for a test double that answers on other threads (MockHttp's
    /// handler does): <see cref="RunAsync(Func{Task}, CancellationToken)"/> then never moves the clock while a request is
    /// being answered. A handler that waits on this clock itself must not be tracked.
    /// </summary>
    /// <param name="handler">The test double; it is not disposed with the returned handler.</param>
    /// <returns>The handler to give the client (<c>DeviceCommandsClientOptions.HttpMessageHandler</c>).</returns>
    public HttpMessageHandler Track(HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new TrackingHandler(this, handler);
    }

    /// <summary>
    /// Runs <paramref name="work"/> and moves the clock whenever it waits only on this clock's timers, until it ends.
    /// </summary>
    /// <param name="work">The test's work, for example a wait for a command.</param>
    /// <param name="cancellationToken">Stops driving the clock (the work itself is not cancelled).</param>
    /// <returns>The work's task.</returns>
    /// <exception cref="InvalidOperationException">The work waited 30 s of real time on something that is neither this clock nor marked work.</exception>
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
    /// <exception cref="InvalidOperationException">The work waited 30 s of real time on something that is neither this clock nor marked work.</exception>
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

        await Task.WhenAny(changed, task).WaitAsync(StallLimit, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Hands the end of a piece of marked work to the thread that drives the clock, which runs it inline, so what it
    /// releases runs there too, up to its next wait, and the driver sees it before it moves the clock again. With no
    /// driver, it runs at once, here.
    /// </summary>
    private void Deliver(Action completion)
    {
        TaskCompletionSource? changed = null;
        lock (_gate)
        {
            if (_drivers > 0)
            {
                _ready.Enqueue(completion);
                (changed, _changed) = (_changed, null);
                completion = null!;
            }
        }

        changed?.TrySetResult();
        if (completion is not null)
        {
            WithoutContext(completion);
        }
    }

    /// <summary>Runs what marked work handed back; true when there was something.</summary>
    private bool RunReady()
    {
        var ran = false;
        while (true)
        {
            Action next;
            lock (_gate)
            {
                if (!_ready.TryDequeue(out next!))
                {
                    return ran;
                }
            }

            WithoutContext(next);
            ran = true;
        }
    }

    private static void WithoutContext(Action action)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
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

    /// <summary>
    /// Moves the clock to <paramref name="target"/>, firing the timers due on the way; true when that was progress: a
    /// one-shot timer fired, or a callback changed a timer or marked work (a periodic timer that only re-arms is none).
    /// </summary>
    private bool AdvanceTo(long target)
    {
        var progressed = false;
        while (true)
        {
            Timer timer;
            long version;
            lock (_gate)
            {
                if (_timers.Count == 0 || _timers.Min!.Due > target)
                {
                    _now = Math.Max(_now, target);
                    _version++;
                    return progressed;
                }

                timer = _timers.Min!;
                _timers.Remove(timer);
                _now = Math.Max(_now, timer.Due);
                if (timer.Period > 0)
                {
                    timer.Due += timer.Period;
                    timer.Sequence = ++_sequence;
                    _timers.Add(timer);
                }
                else
                {
                    timer.Due = long.MaxValue;
                    progressed = true;
                }

                version = ++_version;
            }

            Fire(timer);
            progressed |= Volatile.Read(ref _version) != version;
        }
    }

    /// <summary>Calls a timer's callback with no synchronization context, so that what it releases runs at once.</summary>
    private static void Fire(Timer timer)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            timer.Callback(timer.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void EndWork()
    {
        TaskCompletionSource? changed = null;
        lock (_gate)
        {
            _version++;
            if (--_working == 0)
            {
                (changed, _changed) = (_changed, null);
            }
        }

        changed?.TrySetResult();
    }

    /// <summary>
    /// Marks each request as work until its answer is back, and hands the answer to the clock's driver
    /// (<see cref="Deliver"/>): the code that awaits it then runs on the driver's thread, where the driver sees it.
    /// </summary>
    private sealed class TrackingHandler(VirtualClock clock, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var mark = clock.BeginWork();
            Task<HttpResponseMessage> sending;
            try
            {
                sending = base.SendAsync(request, cancellationToken);
            }
            catch
            {
                mark.Dispose();
                throw;
            }

            if (sending.IsCompleted)
            {
                mark.Dispose();
                return sending;
            }

            // no RunContinuationsAsynchronously: what awaits the answer runs where the driver completes it
            var answered = new TaskCompletionSource<HttpResponseMessage>();
            sending.ContinueWith(
                static (task, state) =>
                {
                    var (owner, work, done) = ((VirtualClock, IDisposable, TaskCompletionSource<HttpResponseMessage>))state!;
                    owner.Deliver(() =>
                    {
                        work.Dispose();
                        if (task.IsCanceled)
                        {
                            done.TrySetCanceled();
                        }
                        else if (task.IsFaulted)
                        {
                            done.TrySetException(task.Exception!.InnerExceptions);
                        }
                        else
                        {
                            done.TrySetResult(task.Result);
                        }
                    });
                },
                (clock, mark, answered),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return answered.Task;
        }

        protected override void Dispose(bool disposing)
        {
            // the test double belongs to the test
        }
    }

    private sealed class WorkMark(VirtualClock clock) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                clock.EndWork();
            }
        }
    }

    private sealed class Timer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        /// <summary>When it is due, in UTC ticks; <see cref="long.MaxValue"/> when it is not scheduled.</summary>
        public long Due { get; set; } = long.MaxValue;

        public long Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, Timeout.InfiniteTimeSpan);
            ArgumentOutOfRangeException.ThrowIfLessThan(period, Timeout.InfiniteTimeSpan);
            lock (clock._gate)
            {
                if (_disposed)
                {
                    return false;
                }

                clock._timers.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Due = long.MaxValue;
                }
                else
                {
                    Due = dueTime.Ticks > long.MaxValue - clock._now ? long.MaxValue - 1 : clock._now + dueTime.Ticks;
                    Sequence = ++clock._sequence;
                    clock._timers.Add(this);
                }

                clock._version++;
                return true;
            }
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                if (!_disposed)
                {
                    _disposed = true;
                    clock._timers.Remove(this);
                    clock._version++;
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Timers by due time, then by the order they were scheduled in (so timers due together fire as they were set).</summary>
    private sealed class TimerOrder : IComparer<Timer>
    {
        public static readonly TimerOrder Instance = new();

        public int Compare(Timer? x, Timer? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            var byDue = x!.Due.CompareTo(y!.Due);
            return byDue != 0 ? byDue : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
