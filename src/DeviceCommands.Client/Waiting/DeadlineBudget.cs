namespace DeviceCommands.Client;

/// <summary>
/// The time a wait has left, as a token: cancelled by the caller's token, or at the wait's deadline on the wait's clock.
/// Everything a wait does runs under it (the POST of <see cref="CommandWaitExtensions.SendAndWaitAsync"/>, each poll with
/// its retries, backoff sleeps, attempt timeouts and token acquisition), so nothing in a wait outlives its deadline.
/// </summary>
internal readonly struct DeadlineBudget : IDisposable
{
    /// <summary>The longest single timer (a timer takes at most about 49.7 days); a budget longer than this is renewed by the next poll.</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(30);

    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _link;

    private DeadlineBudget(CancellationTokenSource? source, CancellationTokenRegistration link, CancellationToken token)
    {
        _source = source;
        _link = link;
        Token = token;
    }

    /// <summary>Cancelled at the deadline or by the caller.</summary>
    public CancellationToken Token { get; }

    /// <summary>A budget that ends at <paramref name="deadline"/> (none: the caller's token alone).</summary>
    public static DeadlineBudget Until(DateTimeOffset? deadline, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (deadline is not { } end)
        {
            return new(null, default, cancellationToken);
        }

        var left = end - clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return new(null, default, new CancellationToken(canceled: true));
        }

        var source = new CancellationTokenSource(left < MaxTimer ? left : MaxTimer, clock);
        var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        return new(source, link, source.Token);
    }

    public void Dispose()
    {
        _link.Dispose();
        _source?.Dispose();
    }
}
