namespace DeviceCommands.Testing;

// Marked work (BeginWork): work under way that does not wait on the clock, during which RunAsync does not move it,
// and the hand-over of its end to the thread that drives the clock.
public sealed partial class VirtualClock
{
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
}
