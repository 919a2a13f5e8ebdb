using Azure.Core;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// A credential for the token cache's tests: each call gives a new token (<c>token-1</c>, <c>token-2</c>, …, or
/// <c>claims-token-N</c> for a call with claims) that expires <see cref="Lifetime"/> after the clock's now, and counts
/// its calls. A call can be held (<see cref="Hold"/>) or made to fail (<see cref="FailNext"/>).
/// </summary>
internal sealed class CountingCredential(TimeProvider clock) : TokenCredential
{
    private readonly Lock _gate = new();
    private readonly List<TokenRequestContext> _calls = [];
    private TaskCompletionSource? _hold;
    private Exception? _failure;

    /// <summary>How long each token lives. Default one hour.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, each token's <see cref="AccessToken.RefreshOn"/> is this long after the clock's now.</summary>
    public TimeSpan? RefreshAfter { get; set; }

    /// <summary>How many times the credential was asked.</summary>
    public int Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>What each call asked for, in order.</summary>
    public IReadOnlyList<TokenRequestContext> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Holds every later call until the returned source is completed; the held calls go on inside <c>SetResult</c>, so they are done when it returns.</summary>
    public TaskCompletionSource Hold()
    {
        lock (_gate)
        {
            return _hold = new TaskCompletionSource();
        }
    }

    /// <summary>Makes the next call throw <paramref name="failure"/>.</summary>
    public void FailNext(Exception failure)
    {
        lock (_gate)
        {
            _failure = failure;
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        int number;
        Task? hold;
        Exception? failure;
        lock (_gate)
        {
            _calls.Add(requestContext);
            number = _calls.Count;
            hold = _hold?.Task;
            (failure, _failure) = (_failure, null);
        }

        if (hold is not null)
        {
            await hold.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw failure;
        }

        var now = clock.GetUtcNow();
        var prefix = requestContext.Claims is null ? "token" : "claims-token";
        return new AccessToken($"{prefix}-{number}", now + Lifetime, now + RefreshAfter, "Bearer");
    }
}
