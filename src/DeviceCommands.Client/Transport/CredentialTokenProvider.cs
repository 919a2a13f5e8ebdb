using System.Text;
using Azure.Core;
using DeviceCommands.Client.Diagnostics;
using Microsoft.Kiota.Abstractions.Authentication;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// Kiota's token provider over an Azure.Identity <see cref="TokenCredential"/>: a token only where
/// <see cref="TokenRule.MayCarryToken"/> allows, continuous access evaluation on, a challenge's claims decoded.
/// </summary>
/// <remarks>
/// Tokens come from the credential's <see cref="TokenCache"/>, which calls the credential through
/// <see cref="CredentialCall"/> (under the caller's token, so a stalled credential cannot hold a wait past its
/// deadline). <see cref="RequestGuardHandler"/> checks the token's text before anything is sent.
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
        TokenProbe.Asking();
        var token = await _cache.GetTokenAsync(scopes, _key, claims, cancellationToken).ConfigureAwait(false);
        TokenProbe.Given();
        return token;
    }

    /// <summary>The claims of a challenge: base64 as Graph sends them, or the text itself if it is not base64.</summary>
    private static string Decode(string claims)
    {
        var bytes = new byte[claims.Length];
        return Convert.TryFromBase64String(claims, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : claims;
    }
}
