namespace DeviceCommands.Testing;

// One timer of the clock, and the order timers fire in.
public sealed partial class VirtualClock
{
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
