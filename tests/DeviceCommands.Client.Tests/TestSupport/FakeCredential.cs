using Azure.Core;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>A credential that hands out a recognisable token and records the scopes it was asked for.</summary>
internal sealed class FakeCredential : TokenCredential
{
    public const string Token = "secret-token-DO-NOT-LEAK-4711";

    /// <summary>The token given for a request that names claims (continuous access evaluation).</summary>
    public const string ClaimsToken = "claims-token-DO-NOT-LEAK-4712";

    public List<string[]> Scopes { get; } = [];

    /// <summary>The claims of each token request (null when it named none).</summary>
    public List<string?> Claims { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.Add(requestContext.Scopes);
            Claims.Add(requestContext.Claims);
        }

        return new AccessToken(requestContext.Claims is null ? Token : ClaimsToken, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
