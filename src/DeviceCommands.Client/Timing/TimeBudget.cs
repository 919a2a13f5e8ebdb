namespace DeviceCommands.Client.Timing;

/// <summary>
/// A span of time as a cancellation token, on a given clock: cancelled when the time is up or when the caller's token
/// is. It bounds an attempt (the attempt timeout) and everything a wait does (its deadline).
/// </summary>
internal readonly struct TimeBudget : IDisposable
{
    private readonly CancellationTokenSource? _source;
    private readonly ITimer? _timer;
    private readonly CancellationTokenRegistration _link;
    private readonly CancellationToken _caller;
    private readonly BudgetSources? _pool;

    private TimeBudget(CancellationTokenSource? source, ITimer? timer, CancellationTokenRegistration link, CancellationToken token, CancellationToken caller, BudgetSources? pool = null)
    {
        _pool = pool;
        _source = source;
        _timer = timer;
        _link = link;
        Token = token;
        _caller = caller;
    }

    /// <summary>Cancelled when the time is up, or by the caller.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the time ran out (rather than the caller cancelling).</summary>
    public bool IsSpent => Token.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>A budget that ends at <paramref name="end"/>; with none, the caller's token alone.</summary>
    public static TimeBudget Until(DateTimeOffset? end, TimeProvider clock, CancellationToken cancellationToken) =>
        end is { } at ? For(at - clock.GetUtcNow(), clock, cancellationToken) : new(null, null, default, cancellationToken, cancellationToken);

    /// <summary>
    /// A budget of <paramref name="span"/> from now, however long (<see cref="LongTimer"/> times it in pieces);
    /// <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.MaxValue"/> for the caller's token alone.
    /// </summary>
    public static TimeBudget For(TimeSpan span, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (span == Timeout.InfiniteTimeSpan || span == TimeSpan.MaxValue)
        {
            return new(null, null, default, cancellationToken, cancellationToken);
        }

        if (span <= TimeSpan.Zero)
        {
            return new(null, null, default, new CancellationToken(canceled: true), cancellationToken);
        }

        if (span < LongTimer.MaxPiece)
        {
            var source = new CancellationTokenSource(span, clock);
            return new(source, null, Link(source, cancellationToken), source.Token, cancellationToken);
        }

        var longSource = new CancellationTokenSource();
        var timer = LongTimer.CancelAfter(longSource, span, clock);
        return new(longSource, timer, Link(longSource, cancellationToken), longSource.Token, cancellationToken);
    }

    /// <summary>
    /// A budget of <paramref name="span"/> from now on the clock of <paramref name="sources"/>, whose source is lent by
    /// that pool and given back when the budget is disposed; otherwise as <see cref="For(TimeSpan, TimeProvider, CancellationToken)"/>.
    /// </summary>
    public static TimeBudget For(TimeSpan span, BudgetSources sources, CancellationToken cancellationToken)
    {
        if (span <= TimeSpan.Zero || span >= LongTimer.MaxPiece)
        {
            return For(span, sources.Clock, cancellationToken);
        }

        var source = sources.Rent(span);
        return new(source, null, Link(source, cancellationToken), source.Token, cancellationToken, sources);
    }

    public void Dispose()
    {
        _timer?.Dispose();

        // disposing the link waits for a cancellation of the caller's that is running, so a source the caller
        // cancelled is seen as cancelled when it is given back, and is not reused
        _link.Dispose();
        if (_pool is not null && _source is not null)
        {
            _pool.Return(_source);
        }
        else
        {
            _source?.Dispose();
        }
    }

    private static CancellationTokenRegistration Link(CancellationTokenSource source, CancellationToken cancellationToken) =>
        cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
}
