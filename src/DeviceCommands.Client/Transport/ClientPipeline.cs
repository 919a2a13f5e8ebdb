using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// Builds the HTTP pipeline behind <see cref="DeviceCommandsClient.Create"/> and the dependency-injection registration.
/// From the outside in: diagnostics (a span and a log line per request), resilience (Polly retry, the user's strategies,
/// attempt timeout), safe redirects, the host guard (no token to another host), then the transport. Kiota's own
/// middleware (its RetryHandler above all) is not used, so there is exactly one retry layer.
/// </summary>
internal static class ClientPipeline
{
    public static DeviceCommandsRequestAdapter CreateAdapter(TokenCredential? credential, DeviceCommandsClientOptions options)
    {
        HttpMessageHandler transport = options.HttpMessageHandler is { } given
            ? new NonDisposingHandler(given)
            : CreateTransport();
        var httpClient = new HttpClient(CreateHandlers(options, transport), disposeHandler: true);
        return CreateAdapter(credential, options, httpClient);
    }

    /// <summary>An adapter over an <see cref="HttpClient"/> whose handlers come from <see cref="CreateHandlers"/> (or a factory that added them).</summary>
    public static DeviceCommandsRequestAdapter CreateAdapter(TokenCredential? credential, DeviceCommandsClientOptions options, HttpClient httpClient)
    {
        Configure(httpClient, options);
        return new DeviceCommandsRequestAdapter(CreateAuthentication(credential, options), httpClient, options);
    }

    public static SocketsHttpHandler CreateTransport() =>
        new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false };

    /// <summary>The client's handlers, outermost first, chained over <paramref name="transport"/>.</summary>
    public static HttpMessageHandler CreateHandlers(DeviceCommandsClientOptions options, HttpMessageHandler transport)
    {
        HttpMessageHandler chain = transport;
        foreach (var handler in CreateDelegatingHandlers(options).Reverse())
        {
            handler.InnerHandler = chain;
            chain = handler;
        }

        return chain;
    }

    public static DelegatingHandler[] CreateDelegatingHandlers(DeviceCommandsClientOptions options)
    {
        var logger = Logger(options);
        return
        [
            new DiagnosticsHandler(logger, options.TimeProvider),
            new ResilienceHandler(options, logger),
            new SafeRedirectHandler(),
            new HostGuardHandler(options.BaseUrl),
        ];
    }

    public static ILogger Logger(DeviceCommandsClientOptions options) =>
        options.LoggerFactory?.CreateLogger(ClientDiagnostics.Name) ?? NullLogger.Instance;

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

    private static void Configure(HttpClient httpClient, DeviceCommandsClientOptions options)
    {
        // our attempt timeout and the caller's token govern time; HttpClient's 100 s default would cut across both
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        httpClient.MaxResponseContentBufferSize = options.MaxResponseContentBytes;
        httpClient.DefaultRequestHeaders.UserAgent.Clear();
        httpClient.DefaultRequestHeaders.UserAgent.ParseAdd(ClientDiagnostics.UserAgent);
        if (!string.IsNullOrWhiteSpace(options.UserAgentSuffix))
        {
            httpClient.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgentSuffix);
        }
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
