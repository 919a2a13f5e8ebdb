using DeviceCommands.Testing;

namespace DeviceCommands.Emulator;

/// <summary>
/// Marks a request being answered on a <see cref="VirtualClock"/> (<see cref="VirtualClock.BeginWork"/>), so the clock
/// does not move meanwhile; paused while the request waits on the clock itself (injected latency). Does nothing on
/// any other clock. Used by one request at a time.
/// </summary>
internal sealed class ClockWork : IDisposable
{
    private readonly VirtualClock? _clock;
    private IDisposable? _mark;
    private bool _disposed;

    private ClockWork(VirtualClock? clock)
    {
        _clock = clock;
        _mark = clock?.BeginWork();
    }

    public static ClockWork Begin(TimeProvider time) => new(time as VirtualClock);

    /// <summary>Waits for <paramref name="delay"/> on <paramref name="time"/>, letting a virtual clock move meanwhile.</summary>
    public async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        Task wait = Task.Delay(delay, time, cancellationToken); // the timer exists before the mark goes
        _mark?.Dispose();
        _mark = null;
        try
        {
            await wait.ConfigureAwait(false);
        }
        finally
        {
            if (!_disposed)
            {
                _mark = _clock?.BeginWork();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _mark?.Dispose();
        _mark = null;
    }
}
