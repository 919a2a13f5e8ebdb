using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// One wait's callbacks, coalesced: a callback sets a flag and wakes a sleeping wait through a timer of the wait's own
/// clock; callbacks that arrive during a GET make at most one more. After the first, GETs asked for by callbacks are
/// spaced by a delay doubling from 100 ms to 10 s (docs/waiting.md, "Callbacks").
/// </summary>
internal sealed class CallbackWake : IDisposable
{
    [ThreadStatic]
    private static CallbackWake? t_signalling; // the wake whose Signal is making its timer on this thread

    private readonly Lock _gate = new();
    private readonly CommandCallbackReceiver _receiver;
    private readonly TimeProvider _clock;
    private readonly bool _ownTerminalTests;
    private TaskCompletionSource? _sleeper;
    private ITimer? _timer;
    private bool _signalled;
    private bool _fired;
    private string? _commandId;
    private bool _disposed;
    private int _callbackPolls;
    private DateTimeOffset _lastCallbackPoll;

    /// <summary>The spacing after the first GET asked for by callbacks: 100 ms, doubling with each one.</summary>
    public static readonly TimeSpan FirstSpacing = TimingDefaults.CallbackFirstSpacing;

    /// <summary>The largest spacing between two GETs asked for by callbacks: 10 s.</summary>
    public static readonly TimeSpan MaxSpacing = TimingDefaults.CallbackMaxSpacing;

    /// <param name="receiver">The receiver the wait is registered with.</param>
    /// <param name="key">The key of the wait's callback URL.</param>
    /// <param name="clock">The wait's clock.</param>
    /// <param name="ownTerminalTests">Whether the wait has terminal tests of its own: then every callback asks for a poll (<see cref="CallbackBody"/>).</param>
    public CallbackWake(CommandCallbackReceiver receiver, string key, TimeProvider clock, bool ownTerminalTests)
    {
        (_receiver, Key, _clock, _ownTerminalTests) = (receiver, key, clock, ownTerminalTests);
    }

    /// <summary>The key of the wait's callback URL.</summary>
    public string Key { get; }

    /// <summary>The wait's postBackUri: <c>{CallbackBaseUrl}/{Key}</c>.</summary>
    public Uri PostBackUri => _receiver.PostBackUriFor(Key);

    /// <summary>The command's id, once the POST has answered (callbacks before it cannot be matched to it).</summary>
    public string? CommandId
    {
        get { lock (_gate) { return _commandId; } }
        set { lock (_gate) { _commandId = value; } }
    }

    /// <summary>
    /// Takes in a callback's body: wakes the wait unless the body reads as a non-terminal status of this command. Runs
    /// none of the wait's code (its terminal tests judge its GETs only), so an endpoint's answer never depends on it.
    /// </summary>
    public void Hint(ReadOnlySpan<byte> body)
    {
        if (CallbackBody.CallsForPoll(body, CommandId, _ownTerminalTests))
        {
            Signal();
        }
    }

    /// <summary>Asks for a poll now (or right after the one in flight).</summary>
    public void Signal()
    {
        lock (_gate)
        {
            _signalled = true;
            if (_sleeper is null || _timer is not null || _disposed)
            {
                return;
            }

            _fired = false;
            t_signalling = this;
            try
            {
                var timer = _clock.CreateTimer(static s => ((CallbackWake)s!).Fire(), this, UntilCallbackPoll(), Timeout.InfiniteTimeSpan);
                if (_fired)
                {
                    timer.Dispose(); // it fired as it was made: none is pending
                }
                else
                {
                    _timer = timer;
                }
            }
            finally
            {
                t_signalling = null;
            }
        }
    }

    /// <summary>Clears the flag; true when a callback had asked for a poll. Called as a GET starts.</summary>
    public bool Take()
    {
        lock (_gate)
        {
            var was = _signalled;
            _signalled = false;
            if (was)
            {
                (_lastCallbackPoll, _callbackPolls) = (_clock.GetUtcNow(), _callbackPolls + 1);
            }

            return was;
        }
    }

    /// <summary>Sleeps for <paramref name="delay"/> on the wait's clock, or less when a callback asks for a poll; true when one did.</summary>
    public async Task<bool> SleepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        TaskCompletionSource sleeper;
        lock (_gate)
        {
            if (_signalled)
            {
                var spacing = UntilCallbackPoll();
                if (spacing <= TimeSpan.Zero)
                {
                    return true;
                }

                delay = spacing < delay ? spacing : delay;
            }

            // continuations run where the timer fires: on a virtual clock, inside its move, as the clock's design wants
            sleeper = _sleeper = new TaskCompletionSource();
        }

        using var timer = _clock.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), sleeper, delay, Timeout.InfiniteTimeSpan);
        using var cancel = cancellationToken.Register(static (s, t) => ((TaskCompletionSource)s!).TrySetCanceled(t), sleeper);
        try
        {
            await sleeper.Task.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _sleeper = null;
            }
        }

        lock (_gate)
        {
            return _signalled && UntilCallbackPoll() <= TimeSpan.Zero;
        }
    }

    /// <summary>Leaves the receiver: the key is unknown from now on.</summary>
    public void Dispose()
    {
        _receiver.Unregister(this);
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>The time left before a GET asked for by callbacks may be sent; zero or less when it may be now. Under the lock.</summary>
    private TimeSpan UntilCallbackPoll()
    {
        if (_callbackPolls == 0)
        {
            return TimeSpan.Zero;
        }

        var spacing = Backoff.BaseDelay(_callbackPolls, FirstSpacing, MaxSpacing, TimingDefaults.CallbackSpacingGrowth);
        var left = _lastCallbackPoll + spacing - _clock.GetUtcNow();
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    private void Fire()
    {
        TaskCompletionSource? sleeper;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            _fired = true;
            sleeper = _sleeper;
        }

        if (sleeper is not null && ReferenceEquals(t_signalling, this))
        {
            // a clock that runs a due timer as it is made (FakeTimeProvider) fires inside Signal, that is inside the
            // receiver's Receive: the wait (its GET, the caller's tests) then goes on from the thread pool, not there
            ThreadPool.QueueUserWorkItem(static s => s.TrySetResult(), sleeper, preferLocal: false);
        }
        else
        {
            sleeper?.TrySetResult();
        }
    }
}
