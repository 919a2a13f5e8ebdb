using Azure.Core;

namespace DeviceCommands.Client;

public partial class DeviceCommandsClient
{
    /// <summary>
    /// Creates a ready-to-use client: the credential's bearer token for the base URL's host only, resilience,
    /// safe redirects and the base URL.
    /// </summary>
    /// <param name="credential">
    /// An Azure.Identity credential able to sign in a personal Microsoft account (for example
    /// <c>InteractiveBrowserCredential</c> or <c>DeviceCodeCredential</c>); null sends no <c>Authorization</c>
    /// header (for an emulator or tests). Its token is cached per scopes, with every client over the same credential
    /// instance, until five minutes before it expires (or its <c>RefreshOn</c>), then refreshed once in the background;
    /// a claims challenge always gets a fresh one. Its own exceptions
    /// (<c>AuthenticationFailedException</c>, …) reach the caller unchanged, its own timeout as an <see cref="Microsoft.Kiota.Abstractions.ApiException"/>.
    /// </param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException">A setting in <paramref name="options"/> cannot work, or a credential is given for a plain-http, non-loopback base URL.</exception>
    public static DeviceCommandsClient Create(TokenCredential? credential, DeviceCommandsClientOptions? options = null)
    {
        options = (options ?? new DeviceCommandsClientOptions()).Clone();
        options.ValidateFor(credential);
        return new DeviceCommandsClient(ClientPipeline.CreateAdapter(credential, options));
    }
}
