using System.Text;
using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// Kiota's token provider over an Azure.Identity <see cref="TokenCredential"/>: a token only for a request that
/// <see cref="TokenRule.MayCarryToken"/> allows (an empty one, so no header, for any other), continuous access
/// evaluation on, and the claims of a challenge (Kiota passes them base64-encoded) decoded for the credential.
/// </summary>
/// <remarks>
/// The token comes from the credential's <see cref="TokenCache"/> (on the client's clock), which calls the credential
/// through <see cref="CredentialCall"/>: awaited under the caller's token even if it ignores that token, so a
/// credential that stalls cannot hold a wait past its deadline, and its own cancellation is an
/// <see cref="Microsoft.Kiota.Abstractions.ApiException"/>. The token's text is checked by <see cref="RequestGuardHandler"/>, where every
/// header is, before anything is sent.
/// </remarks>
internal sealed class CredentialTokenProvider(TokenCredential credential, Uri baseUrl, string[] scopes, TimeProvider clock) : IAccessTokenProvider
{
    private const string ClaimsKey = "claims";

    private readonly TokenCache _cache = TokenCache.For(credential, clock);
    private readonly string _key = TokenCache.KeyOf(scopes);

    public AllowedHostsValidator AllowedHostsValidator { get; } = new([baseUrl.Host]);

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!TokenRule.MayCarryToken(baseUrl, uri))
        {
            return string.Empty;
        }

        var claims = additionalAuthenticationContext?.GetValueOrDefault(ClaimsKey) is string { Length: > 0 } encoded ? Decode(encoded) : null;
        return await _cache.GetTokenAsync(scopes, _key, claims, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The claims of a challenge: base64 as Graph sends them, or the text itself if it is not base64.</summary>
    private static string Decode(string claims)
    {
        var bytes = new byte[claims.Length];
        return Convert.TryFromBase64String(claims, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : claims;
    }
}
