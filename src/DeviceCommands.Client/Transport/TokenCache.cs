using System.Runtime.CompilerServices;
using Azure.Core;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The tokens of one credential, cached per set of scopes as Azure.Core's <c>BearerTokenAuthenticationPolicy</c> caches
/// them: refreshed once in the background from the refresh time, callers without a valid token sharing one call, a
/// claims challenge always asking the credential. The rules: docs/transport.md ("Tokens").
/// </summary>
/// <remarks>One cache per credential instance and clock (<see cref="For"/>), shared by every client over them.</remarks>
internal sealed class TokenCache
{
    /// <summary>How long before its expiry a token without <see cref="AccessToken.RefreshOn"/> is refreshed.</summary>
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>How long a background refresh may take, and how long after a failed one the next is tried.</summary>
    internal static readonly TimeSpan RefreshRetryDelay = TimeSpan.FromSeconds(30);

    private static readonly ConditionalWeakTable<TokenCredential, ConditionalWeakTable<TimeProvider, TokenCache>> Caches = new();

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly TokenCredential _credential;
    private readonly TimeProvider _clock;

    private TokenCache(TokenCredential credential, TimeProvider clock)
    {
        _credential = credential;
        _clock = clock;
    }

    /// <summary>The cache of <paramref name="credential"/> on <paramref name="clock"/>; it lives as long as both do.</summary>
    public static TokenCache For(TokenCredential credential, TimeProvider clock) =>
        Caches.GetValue(credential, static _ => new()).GetValue(clock, c => new TokenCache(credential, c));

    /// <summary>The key of a set of scopes in the cache (made once per client, so that a request allocates nothing for it).</summary>
    public static string KeyOf(string[] scopes) => string.Join(' ', scopes);

    /// <summary>A token for <paramref name="scopes"/> (whose <see cref="KeyOf"/> is <paramref name="key"/>): the cached one while it is valid, else the credential's.</summary>
    /// <exception cref="Microsoft.Kiota.Abstractions.ApiException">The credential cancelled on its own (see <see cref="CredentialCall"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<string> GetTokenAsync(string[] scopes, string key, string? claims, CancellationToken cancellationToken)
    {
        if (claims is not null)
        {
            var fresh = await CredentialCall.GetTokenAsync(_credential, Context(scopes, claims), _clock, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                SlotOf(key).Current = Entry(fresh);
            }

            return fresh.Token;
        }

        while (true)
        {
            Task<Cached?>? joined = null;
            TaskCompletionSource<Cached?>? owned = null;
            Cached? refreshing = null;
            lock (_gate)
            {
                var slot = SlotOf(key);
                var now = _clock.GetUtcNow();
                if (slot.Current is { } current && now < current.Token.ExpiresOn)
                {
                    if (now < current.RefreshOn || slot.Pending is not null)
                    {
                        return current.Token.Token;
                    }

                    refreshing = current;
                }
                else if (slot.Pending is { } pending)
                {
                    joined = pending;
                }

                if (joined is null)
                {
                    owned = new TaskCompletionSource<Cached?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    slot.Pending = owned.Task;
                }
            }

            if (refreshing is not null)
            {
                _ = RefreshAsync(key, scopes, owned!, refreshing);
                return refreshing.Token.Token;
            }

            if (owned is not null)
            {
                return await FetchAsync(key, scopes, owned, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // null: a background refresh failed after the token expired; then this caller asks the credential itself
                if (await joined!.WaitAsync(cancellationToken).ConfigureAwait(false) is { } shared)
                {
                    return shared.Token.Token;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // the caller who asked the credential was cancelled; this one asks anew
            }
        }
    }

    /// <summary>Asks the credential for the callers that found no valid token, and shares the answer or the failure.</summary>
    private async Task<string> FetchAsync(string key, string[] scopes, TaskCompletionSource<Cached?> owned, CancellationToken cancellationToken)
    {
        try
        {
            var entry = Entry(await CredentialCall.GetTokenAsync(_credential, Context(scopes, null), _clock, cancellationToken).ConfigureAwait(false));
            Settle(key, owned, entry);
            owned.SetResult(entry);
            return entry.Token.Token;
        }
        catch (Exception e)
        {
            Settle(key, owned, null);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                owned.SetCanceled(cancellationToken);
            }
            else
            {
                owned.SetException(e);
                _ = owned.Task.Exception; // observed here: the callers that joined get it from the task
            }

            throw;
        }
    }

    /// <summary>Refreshes a still-valid token in the background; a failure keeps the old one and tries again later.</summary>
    private async Task RefreshAsync(string key, string[] scopes, TaskCompletionSource<Cached?> owned, Cached old)
    {
        Cached? entry = null;
        try
        {
            using var limit = new CancellationTokenSource(RefreshRetryDelay, _clock);
            entry = Entry(await CredentialCall.GetTokenAsync(_credential, Context(scopes, null), _clock, limit.Token).ConfigureAwait(false));
        }
        catch (Exception)
        {
            // a failed refresh fails no request: the old token serves until it expires
        }

        Settle(key, owned, entry ?? old with { RefreshOn = _clock.GetUtcNow() + RefreshRetryDelay }, replacing: entry is null ? old : null);
        owned.SetResult(entry);
    }

    /// <summary>
    /// Ends a call to the credential: stores <paramref name="entry"/> (unless null; when <paramref name="replacing"/> is
    /// given, only if that is still the current entry) and frees the slot for the next call.
    /// </summary>
    private void Settle(string key, TaskCompletionSource<Cached?> owned, Cached? entry, Cached? replacing = null)
    {
        lock (_gate)
        {
            var slot = SlotOf(key);
            if (entry is not null && (replacing is null || ReferenceEquals(slot.Current, replacing)))
            {
                slot.Current = entry;
            }

            if (ReferenceEquals(slot.Pending, owned.Task))
            {
                slot.Pending = null;
            }
        }
    }

    private Slot SlotOf(string key)
    {
        if (!_slots.TryGetValue(key, out var slot))
        {
            _slots[key] = slot = new Slot();
        }

        return slot;
    }

    private static TokenRequestContext Context(string[] scopes, string? claims) => new(scopes, claims: claims, isCaeEnabled: true);

    private static Cached Entry(AccessToken token) => new(token, token.RefreshOn ?? token.ExpiresOn - RefreshMargin);

    /// <summary>A token and when to refresh it.</summary>
    private sealed record Cached(AccessToken Token, DateTimeOffset RefreshOn);

    /// <summary>One set of scopes: its current token, and the call to the credential under way, if any.</summary>
    private sealed class Slot
    {
        public Cached? Current { get; set; }

        public Task<Cached?>? Pending { get; set; }
    }
}
