using Azure.Core;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>A credential that hands out a recognisable token and records the scopes it was asked for.</summary>
internal sealed class FakeCredential : TokenCredential
{
    public const string Token = "secret-token-DO-NOT-LEAK-4711";

    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.Add(requestContext.Scopes);
        }

        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
