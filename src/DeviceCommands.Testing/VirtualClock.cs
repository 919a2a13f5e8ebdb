namespace DeviceCommands.Testing;

/// <summary>
/// A clock for tests that moves itself: while the work given to <see cref="RunAsync(Func{Task}, CancellationToken)"/>
/// waits only on this clock's timers, it jumps to the next one that is due, so an hour-long wait completes in
/// milliseconds, the same way on every run. It can also be moved by hand (<see cref="Advance"/>).
/// </summary>
/// <remarks>
/// Give the one clock to the emulator, the client and the waits; a test double that answers on other threads (MockHttp)
/// goes through <see cref="Track"/>. How it decides when to move: the package's README.
/// </remarks>
public sealed partial class VirtualClock : TimeProvider
{
    /// <summary>The instant a clock made with <see cref="VirtualClock()"/> starts at: 2026-01-01 00:00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // one lock guards all the state below; _version counts every change the driver must see (timers, marked work)
    private readonly Lock _gate = new();
    private long _version;

    // the timers (VirtualClock.Timers.cs): the current instant in UTC ticks, and the order timers were set in
    private readonly SortedSet<Timer> _timers = new(TimerOrder.Instance);
    private long _now;
    private long _sequence;

    // marked work and its hand-over (VirtualClock.Work.cs): what is under way, how many RunAsync drive the clock,
    // the ends handed to them, and the signal that wakes a driver waiting on marked work
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
}
