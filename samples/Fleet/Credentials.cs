using System.Collections.Concurrent;
using Azure.Core;
using DeviceCommands.Client;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// Where a silo gets a user's credential: the application provides it (a web backend would return an
/// on-behalf-of credential for the user's session, for example). The credential acquires and caches its tokens in
/// memory; no token is ever written to grain state.
/// </summary>
public interface ICredentialSource
{
    /// <summary>The credential that sends commands as this user; null for none (an emulator).</summary>
    /// <param name="userId">The user, from the wait's key.</param>
    /// <returns>The credential, or null.</returns>
    TokenCredential? GetCredential(string userId);
}

/// <summary>The sample's credential source: no credential, since the emulator takes requests without a token.</summary>
public sealed class NoCredentials : ICredentialSource
{
    /// <inheritdoc />
    public TokenCredential? GetCredential(string userId) => null;
}

/// <summary>
/// One client per user in a silo, built the first time one of the user's waits activates there, with the credential
/// the <see cref="ICredentialSource"/> gives. The clients share the process-wide connection pool.
/// </summary>
/// <remarks>
/// Every request is sent once: <see cref="DeviceCommandsClientOptions.MaxRetries"/> is 0, so a retry is always a step of
/// the wait itself, with its own durable record (a new intent before a POST; a checkpoint before a poll).
/// </remarks>
public sealed class UserClients(ICredentialSource credentials, FleetSiloSettings settings)
{
    private readonly ConcurrentDictionary<string, DeviceCommandsClient> _byUser = new(StringComparer.Ordinal);

    /// <summary>The user's client.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The client.</returns>
    public DeviceCommandsClient For(string userId) =>
        _byUser.GetOrAdd(userId, user => DeviceCommandsClient.Create(credentials.GetCredential(user), new DeviceCommandsClientOptions
        {
            BaseUrl = settings.ServiceUrl,
            MaxRetries = 0,
            AttemptTimeout = TimeSpan.FromSeconds(10),
        }));
}
