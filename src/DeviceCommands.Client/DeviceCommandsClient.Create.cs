using Azure.Core;

namespace DeviceCommands.Client;

public partial class DeviceCommandsClient
{
    /// <summary>
    /// Creates a ready-to-use client: the credential's bearer token for the base URL's host only, resilience,
    /// safe redirects and the base URL.
    /// </summary>
    /// <param name="credential">
    /// An Azure.Identity credential able to sign in a personal Microsoft account (e.g. <c>InteractiveBrowserCredential</c>);
    /// null sends no <c>Authorization</c> header (an emulator, tests). Its tokens are cached and refreshed as
    /// docs/transport.md ("Tokens") says; its own exceptions reach the caller unchanged.
    /// </param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException">A setting cannot work, or a credential is given for a plain-http, non-loopback base URL.</exception>
    public static DeviceCommandsClient Create(TokenCredential? credential, DeviceCommandsClientOptions? options = null)
    {
        options = (options ?? new DeviceCommandsClientOptions()).Clone();
        options.ValidateFor(credential);
        return new DeviceCommandsClient(ClientPipeline.CreateAdapter(credential, options));
    }
}
