using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// One wait's callbacks, coalesced: a callback sets one flag and, when the wait is asleep, wakes it through a timer of
/// the wait's own clock due at once (so on a virtual clock the poll happens at the callback's instant, after the
/// callback's sender is done). The wait clears the flag as it starts a GET, so callbacks that arrive during the GET
/// make at most one more, however many they are.
/// </summary>
internal sealed class CallbackWake : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CommandCallbackReceiver _receiver;
    private readonly TimeProvider _clock;
    private readonly Func<Command, bool> _ends;
    private TaskCompletionSource? _sleeper;
    private ITimer? _timer;
    private bool _signalled;
    private string? _commandId;
    private bool _disposed;

    public CallbackWake(CommandCallbackReceiver receiver, string key, TimeProvider clock, Func<Command, bool> ends)
    {
        (_receiver, Key, _clock, _ends) = (receiver, key, clock, ends);
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

    /// <summary>Takes in a callback's body: wakes the wait unless the body reads as a non-terminal status of this command.</summary>
    public void Hint(ReadOnlySpan<byte> body)
    {
        if (CallbackBody.CallsForPoll(body, CommandId, _ends))
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

            _timer = _clock.CreateTimer(static s => ((CallbackWake)s!).Fire(), this, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Clears the flag; true when a callback had asked for a poll. Called as a GET starts.</summary>
    public bool Take()
    {
        lock (_gate)
        {
            var was = _signalled;
            _signalled = false;
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
                return true;
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
            return _signalled;
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

    private void Fire()
    {
        TaskCompletionSource? sleeper;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            sleeper = _sleeper;
        }

        sleeper?.TrySetResult();
    }
}
