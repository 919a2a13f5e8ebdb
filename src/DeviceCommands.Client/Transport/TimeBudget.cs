namespace DeviceCommands.Client.Transport;

/// <summary>
/// A span of time as a cancellation token, on a given clock: cancelled when the time is up or when the caller's token
/// is. It bounds an attempt (the attempt timeout) and everything a wait does (its deadline).
/// </summary>
internal readonly struct TimeBudget : IDisposable
{
    /// <summary>The longest single timer (a timer takes at most about 49.7 days); a longer budget ends after this, early.</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(30);

    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _link;
    private readonly CancellationToken _caller;

    private TimeBudget(CancellationTokenSource? source, CancellationTokenRegistration link, CancellationToken token, CancellationToken caller)
    {
        _source = source;
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
        end is { } at ? For(at - clock.GetUtcNow(), clock, cancellationToken) : new(null, default, cancellationToken, cancellationToken);

    /// <summary>A budget of <paramref name="span"/> from now; <see cref="Timeout.InfiniteTimeSpan"/> for the caller's token alone.</summary>
    public static TimeBudget For(TimeSpan span, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (span == Timeout.InfiniteTimeSpan)
        {
            return new(null, default, cancellationToken, cancellationToken);
        }

        if (span <= TimeSpan.Zero)
        {
            return new(null, default, new CancellationToken(canceled: true), cancellationToken);
        }

        var source = new CancellationTokenSource(span < MaxTimer ? span : MaxTimer, clock);
        var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        return new(source, link, source.Token, cancellationToken);
    }

    public void Dispose()
    {
        _link.Dispose();
        _source?.Dispose();
    }
}
