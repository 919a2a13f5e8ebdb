using Azure.Core;

namespace DeviceCommands.TestSupport;

/// <summary>
/// A credential that hands out a recognisable token (<see cref="Token"/>, or <see cref="ClaimsToken"/> for a request
/// that names claims; or tokens of the caller's choosing) and records what it was asked for; or one that stalls (<see cref="Stalling"/>) or throws
/// (<see cref="Throwing"/>).
/// </summary>
public sealed class FakeCredential : TokenCredential
{
    /// <summary>The token given by default.</summary>
    public const string Token = "secret-token-DO-NOT-LEAK-4711";

    /// <summary>The token given for a request that names claims (continuous access evaluation).</summary>
    public const string ClaimsToken = "claims-token-DO-NOT-LEAK-4712";

    private readonly Lock _gate = new();
    private readonly List<string[]> _scopes = [];
    private readonly List<string?> _claims = [];
    private readonly string _token;
    private readonly string _claimsToken;
    private readonly Stall _stall;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Exception? _failure;

    /// <summary>Creates a credential that gives <paramref name="token"/>, and <paramref name="claimsToken"/> for a request that names claims.</summary>
    /// <param name="token">The token text.</param>
    /// <param name="claimsToken">The token text for a request that names claims (pass <paramref name="token"/> for one token throughout).</param>
    public FakeCredential(string token = Token, string claimsToken = ClaimsToken)
        : this(token, claimsToken, Stall.None, null)
    {
    }

    private FakeCredential(string token, string claimsToken, Stall stall, Exception? failure)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(claimsToken);
        _token = token;
        _claimsToken = claimsToken;
        _stall = stall;
        _failure = failure;
    }

    private enum Stall
    {
        None,
        HonoursCancellation,
        IgnoresCancellation,
    }

    /// <summary>The scopes of each token request, in order.</summary>
    public IReadOnlyList<string[]> Scopes
    {
        get
        {
            lock (_gate)
            {
                return [.. _scopes];
            }
        }
    }

    /// <summary>The claims of each token request (null when it named none), in order.</summary>
    public IReadOnlyList<string?> Claims
    {
        get
        {
            lock (_gate)
            {
                return [.. _claims];
            }
        }
    }

    /// <summary>A credential whose token never comes until <see cref="Release"/>: it gives up when its token is cancelled, or, with <paramref name="honoursCancellation"/> false, not even then.</summary>
    /// <param name="honoursCancellation">Whether a cancelled token ends the stall.</param>
    /// <returns>The credential.</returns>
    public static FakeCredential Stalling(bool honoursCancellation = true) =>
        new(Token, ClaimsToken, honoursCancellation ? Stall.HonoursCancellation : Stall.IgnoresCancellation, null);

    /// <summary>A credential that throws <paramref name="exception"/> on every token request.</summary>
    /// <param name="exception">What it throws (for example an Azure.Identity AuthenticationFailedException).</param>
    /// <returns>The credential.</returns>
    public static FakeCredential Throwing(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(Token, ClaimsToken, Stall.None, exception);
    }

    /// <summary>Lets a stalling credential's pending and later token requests complete.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc/>
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _scopes.Add(requestContext.Scopes);
            _claims.Add(requestContext.Claims);
        }

        if (_failure is not null)
        {
            return ValueTask.FromException<AccessToken>(_failure);
        }

        var token = new AccessToken(requestContext.Claims is null ? _token : _claimsToken, DateTimeOffset.UtcNow.AddHours(1));
        return _stall == Stall.None || _released.Task.IsCompleted ? ValueTask.FromResult(token) : StallAsync(token, cancellationToken);
    }

    private async ValueTask<AccessToken> StallAsync(AccessToken token, CancellationToken cancellationToken)
    {
        await _released.Task.WaitAsync(_stall == Stall.HonoursCancellation ? cancellationToken : CancellationToken.None).ConfigureAwait(false);
        return token;
    }
}
