using Azure.Core;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// One call to a credential, as every token request of the client makes it: awaited under the caller's token even if
/// the credential ignores that token (so a stalled credential cannot outlive a caller or a wait's deadline), and a
/// cancellation of the credential's own (Azure.Identity's timeouts throw <see cref="TaskCanceledException"/>) turned
/// into an <see cref="ApiException"/>, so an <see cref="OperationCanceledException"/> reaches a caller only for the
/// caller's own token. Any other exception of the credential (Azure.Identity's <c>AuthenticationFailedException</c>,
/// <c>CredentialUnavailableException</c>) passes through unchanged, as in Kiota's and the Azure SDK's clients.
/// </summary>
internal static class CredentialCall
{
    /// <summary>Asks <paramref name="credential"/> for a token.</summary>
    /// <exception cref="ApiException">The credential cancelled on its own, the caller's token not cancelled (inside: a <see cref="TimeoutException"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<AccessToken> GetTokenAsync(TokenCredential credential, TokenRequestContext context, CancellationToken cancellationToken)
    {
        try
        {
            var pending = credential.GetTokenAsync(context, cancellationToken);
            return pending.IsCompletedSuccessfully
                ? pending.Result
                : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw GaveUp(e);
        }
    }

    /// <summary>
    /// The error for a credential that cancelled on its own: an <see cref="ApiException"/> with no status around a
    /// <see cref="TimeoutException"/>, a passing failure like an attempt timeout (a wait polls on after it).
    /// </summary>
    public static ApiException GaveUp(OperationCanceledException cancelled) =>
        new($"The credential gave up before it gave a token ({cancelled.GetType().Name}: {cancelled.Message}) although the call was not cancelled, so nothing was sent.",
            new TimeoutException("The credential timed out getting a token.", cancelled));
}
