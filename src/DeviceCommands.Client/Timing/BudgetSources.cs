namespace DeviceCommands.Client.Timing;

/// <summary>
/// The cancellation sources of a client's attempt budgets (<see cref="TimeBudget.For(TimeSpan, BudgetSources, CancellationToken)"/>),
/// kept for reuse: on the system clock a source whose time did not run out is reset (<see cref="CancellationTokenSource.TryReset"/>)
/// and lent again, so an attempt makes no new source and timer. On any other clock each budget gets a new source (its
/// timer is that clock's, which a reset would not stop). A source that was cancelled is never lent again.
/// </summary>
internal sealed class BudgetSources(TimeProvider clock)
{
    /// <summary>How many idle sources are kept; more attempts at once simply make new ones.</summary>
    public const int Capacity = 64;

    private readonly CancellationTokenSource?[] _idle = new CancellationTokenSource?[Capacity];
    private readonly bool _reusable = clock == TimeProvider.System;

    /// <summary>The clock the budgets run on.</summary>
    public TimeProvider Clock { get; } = clock;

    /// <summary>A source that is cancelled after <paramref name="span"/> (less than <see cref="LongTimer.MaxPiece"/>).</summary>
    public CancellationTokenSource Rent(TimeSpan span)
    {
        if (_reusable)
        {
            for (var i = 0; i < _idle.Length; i++)
            {
                if (Volatile.Read(ref _idle[i]) is { } idle && Interlocked.CompareExchange(ref _idle[i], null, idle) == idle)
                {
                    idle.CancelAfter(span);
                    return idle;
                }
            }
        }

        return new CancellationTokenSource(span, Clock);
    }

    /// <summary>Takes back a source no one uses any more: kept when it can be reset, else disposed.</summary>
    public void Return(CancellationTokenSource source)
    {
        if (_reusable && source.TryReset())
        {
            for (var i = 0; i < _idle.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _idle[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
