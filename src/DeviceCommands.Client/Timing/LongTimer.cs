namespace DeviceCommands.Client.Timing;

/// <summary>
/// The one way the client sleeps or sets a deadline on a <see cref="TimeProvider"/> for any <see cref="TimeSpan"/>: a
/// timer takes at most about 49.7 days (longer throws <see cref="ArgumentOutOfRangeException"/>), so a longer span is
/// slept, or timed, in pieces of at most <see cref="MaxPiece"/>, each measured again on the clock.
/// </summary>
internal static class LongTimer
{
    /// <summary>The longest single timer the client sets: 30 days, well inside the timers' limit.</summary>
    public static readonly TimeSpan MaxPiece = TimingDefaults.MaxTimerPiece;

    /// <summary>
    /// The next timer towards a time <paramref name="remaining"/> away; zero once it is reached. Timers count whole
    /// milliseconds (and complete at once under 1 ms): rounded up, so a timer never fires early and no loop spins.
    /// </summary>
    public static TimeSpan Piece(TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.Zero
        : remaining < MaxPiece ? TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds))
        : MaxPiece;

    /// <summary>Sleeps <paramref name="delay"/> on <paramref name="clock"/>, however long (<see cref="TimeSpan.MaxValue"/> or <see cref="Timeout.InfiniteTimeSpan"/> until cancelled).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task DelayAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay < MaxPiece && delay != Timeout.InfiniteTimeSpan)
        {
            await Task.Delay(delay <= TimeSpan.Zero ? TimeSpan.Zero : delay, clock, cancellationToken).ConfigureAwait(false);
            return;
        }

        var forever = delay == Timeout.InfiniteTimeSpan || delay == TimeSpan.MaxValue;
        var started = clock.GetTimestamp();
        for (var piece = MaxPiece; piece > TimeSpan.Zero; piece = forever ? MaxPiece : Piece(delay - clock.GetElapsedTime(started)))
        {
            await Task.Delay(piece, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A timer that cancels <paramref name="source"/> once <paramref name="span"/> has passed on <paramref name="clock"/>,
    /// however long: it fires every <see cref="MaxPiece"/> at most, and only the last firing cancels. Dispose it to stop it.
    /// </summary>
    public static ITimer CancelAfter(CancellationTokenSource source, TimeSpan span, TimeProvider clock)
    {
        var state = new CancelState(source, clock, span, clock.GetTimestamp());
        var timer = clock.CreateTimer(static s => ((CancelState)s!).Fire(), state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        state.Timer = timer;
        timer.Change(Piece(span), Timeout.InfiniteTimeSpan);
        return timer;
    }

    private sealed class CancelState(CancellationTokenSource source, TimeProvider clock, TimeSpan span, long started)
    {
        public ITimer? Timer { get; set; }

        public void Fire()
        {
            var next = Piece(span - clock.GetElapsedTime(started));
            if (next > TimeSpan.Zero && Timer is { } timer)
            {
                timer.Change(next, Timeout.InfiniteTimeSpan);
                return;
            }

            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the budget ended first
            }
        }
    }
}
