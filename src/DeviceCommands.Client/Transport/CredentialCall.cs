using Azure.Core;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// One call to a credential, as every token request of the client makes it: started off the caller's thread and awaited
/// under the caller's token, so a credential that ignores that token or blocks its thread cannot outlive a caller or a
/// wait's deadline. A cancellation of the credential's own (Azure.Identity's timeouts) becomes an
/// <see cref="ApiException"/>, so an <see cref="OperationCanceledException"/> reaches a caller only for the caller's own
/// token; any other exception of the credential passes through unchanged, as in Kiota's and the Azure SDK's clients.
/// </summary>
internal static class CredentialCall
{
    /// <summary>
    /// Asks <paramref name="credential"/> for a token: on the thread pool under the system clock; inline under any other
    /// <paramref name="clock"/> (a test's virtual or fake clock), whose driver must see the call to keep time deterministic.
    /// </summary>
    /// <exception cref="ApiException">The credential cancelled on its own, the caller's token not cancelled (inside: a <see cref="TimeoutException"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<AccessToken> GetTokenAsync(TokenCredential credential, TokenRequestContext context, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            if (clock != TimeProvider.System)
            {
                var pending = credential.GetTokenAsync(context, cancellationToken);
                return pending.IsCompletedSuccessfully
                    ? pending.Result
                    : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return await OffTheCallersThread(credential, context, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw GaveUp(e);
        }
    }

    /// <summary>
    /// Starts the credential's call on the thread pool, so a credential that blocks its thread before it returns its task
    /// blocks a pool thread, not the caller. Through the pool's global queue (<see cref="TaskCreationOptions.PreferFairness"/>),
    /// in queue order even when asked from a pool thread. Only the token cache's misses and refreshes get here: a cached
    /// token costs no hop.
    /// </summary>
    private static Task<AccessToken> OffTheCallersThread(TokenCredential credential, TokenRequestContext context, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
                static state =>
                {
                    var (credential, context, cancellationToken) = ((TokenCredential, TokenRequestContext, CancellationToken))state!;
                    return credential.GetTokenAsync(context, cancellationToken).AsTask();
                },
                (credential, context, cancellationToken),
                CancellationToken.None,
                TaskCreationOptions.DenyChildAttach | TaskCreationOptions.PreferFairness,
                TaskScheduler.Default)
            .Unwrap();

    /// <summary>
    /// The error for a credential that cancelled on its own: an <see cref="ApiException"/> with no status around a
    /// <see cref="TimeoutException"/>, a passing failure like an attempt timeout (a wait polls on after it).
    /// </summary>
    public static ApiException GaveUp(OperationCanceledException cancelled) =>
        new($"The credential gave up before it gave a token ({cancelled.GetType().Name}: {cancelled.Message}) although the call was not cancelled, so nothing was sent.",
            new TimeoutException("The credential timed out getting a token.", cancelled));
}
