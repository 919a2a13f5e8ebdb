using System.Globalization;

namespace DeviceCommands.Testing;

// The timers: made, moved and fired in due order as the clock advances (by hand or under RunAsync).
public sealed partial class VirtualClock
{
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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative, or would move the clock past
    /// <see cref="DateTimeOffset.MaxValue"/> (<see cref="TimeSpan.MaxValue"/> does, from any instant): the clock is not moved.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            // refused rather than clamped, as FakeTimeProvider does: the sum would overflow, and a clock at the end of
            // the calendar leaves every deadline computed from it nowhere to go
            var room = DateTimeOffset.MaxValue.UtcTicks - _now;
            if (delta.Ticks > room)
            {
                throw new ArgumentOutOfRangeException(nameof(delta), delta, string.Create(CultureInfo.InvariantCulture,
                    $"The clock cannot move past DateTimeOffset.MaxValue: it is at {new DateTimeOffset(_now, TimeSpan.Zero):O}, so it can move by at most {TimeSpan.FromTicks(room)}."));
            }

            target = _now + delta.Ticks;
        }

        AdvanceTo(target);
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
}
