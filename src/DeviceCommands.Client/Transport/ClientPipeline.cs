using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace DeviceCommands.Client.Transport;

/// <summary>Builds the request adapter and HTTP pipeline behind <see cref="DeviceCommandsClient.Create"/>.</summary>
internal static class ClientPipeline
{
    public static DeviceCommandsRequestAdapter CreateAdapter(TokenCredential? credential, DeviceCommandsClientOptions options)
    {
        var handler = CreateHandler(options);
        var httpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new DeviceCommandsRequestAdapter(CreateAuthentication(credential, options), httpClient, options);
    }

    public static IAuthenticationProvider CreateAuthentication(TokenCredential? credential, DeviceCommandsClientOptions options)
    {
        if (credential is null)
        {
            return new AnonymousAuthenticationProvider();
        }

        var baseUrl = options.BaseUrl;
        if (baseUrl.Scheme != Uri.UriSchemeHttps && !baseUrl.IsLoopback)
        {
            throw new ArgumentException("A bearer token is only ever sent over https (or plain http to a loopback host); BaseUrl is plain http to another host.", nameof(options));
        }

        return new AzureIdentityAuthenticationProvider(credential, [baseUrl.Host], null, true, options.EffectiveScopes());
    }

    private static HttpMessageHandler CreateHandler(DeviceCommandsClientOptions options)
    {
        HttpMessageHandler inner = options.HttpMessageHandler is { } given
            ? new NonDisposingHandler(given)
            : new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new RedirectHandler { InnerHandler = inner };
    }

    /// <summary>Keeps a user's handler alive when the client's <see cref="HttpClient"/> is disposed.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // the handler belongs to the caller
        }
    }
}
