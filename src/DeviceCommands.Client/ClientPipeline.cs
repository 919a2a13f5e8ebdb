using System.Net;
using Azure.Core;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client;

/// <summary>
/// Puts together the client of <see cref="DeviceCommandsClient.Create"/> and of the dependency-injection registration:
/// a stock Kiota <see cref="HttpClientRequestAdapter"/> (private JSON factories, the credential's token through
/// <see cref="CredentialTokenProvider"/>) over an <see cref="HttpClient"/> whose handlers are, from the outside in:
/// diagnostics (a span, a log line and a <c>client-request-id</c> per request), safe redirects, resilience (retry, the
/// user's strategies, the attempt timeout, the body read within the attempt), the request guard (no token to another
/// host, no control character in a header), then the transport. Kiota's own middleware (its RetryHandler above all) is
/// not used, so there is exactly one retry layer.
/// </summary>
internal static class ClientPipeline
{
    /// <summary>An adapter over a new <see cref="HttpClient"/> on the caller's handler, or else the shared transport.</summary>
    public static ClientAdapter CreateAdapter(TokenCredential? credential, DeviceCommandsClientOptions options)
    {
        HttpMessageHandler transport = options.HttpMessageHandler is { } given ? new SharedTransport.NotOwned(given) : SharedTransport.Handler;
        HttpMessageHandler chain = transport;
        foreach (var handler in CreateHandlers(options).Reverse())
        {
            handler.InnerHandler = chain;
            chain = handler;
        }

        return CreateAdapter(credential, options, new HttpClient(chain, disposeHandler: true));
    }

    /// <summary>An adapter over an <see cref="HttpClient"/> whose handlers come from <see cref="CreateHandlers"/> (or a factory that added them).</summary>
    public static ClientAdapter CreateAdapter(TokenCredential? credential, DeviceCommandsClientOptions options, HttpClient httpClient)
    {
        // the attempt timeout and the caller's token govern time; HttpClient's 100 s default would cut across both
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        httpClient.MaxResponseContentBufferSize = options.MaxResponseContentBytes;
        httpClient.DefaultRequestVersion = HttpVersion.Version20;
        httpClient.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        httpClient.DefaultRequestHeaders.UserAgent.Clear();
        httpClient.DefaultRequestHeaders.UserAgent.ParseAdd(ClientDiagnostics.UserAgent);
        if (!string.IsNullOrWhiteSpace(options.UserAgentSuffix))
        {
            httpClient.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgentSuffix);
        }

        IAuthenticationProvider authentication = credential is null
            ? new AnonymousAuthenticationProvider()
            : new BaseBearerTokenAuthenticationProvider(new CredentialTokenProvider(credential, options.BaseUrl, options.EffectiveScopes()));
        return new ClientAdapter(authentication, httpClient, options.TimeProvider, Logger(options), options.MaxResponseContentBytes)
        {
            BaseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/'),
        };
    }

    /// <summary>The client's handlers, outermost first.</summary>
    public static DelegatingHandler[] CreateHandlers(DeviceCommandsClientOptions options)
    {
        var logger = Logger(options);
        var resilience = new ResilienceSettings(options.MaxRetries, options.RetryDelay, options.MaxRetryAfter, options.AttemptTimeout,
            options.MaxResponseContentBytes, options.TimeProvider, options.ConfigureResilience);
        return
        [
            new DiagnosticsHandler(logger, options.TimeProvider),
            new SafeRedirectHandler(),
            new ResilienceHandler(resilience, logger),
            new RequestGuardHandler(options.BaseUrl),
        ];
    }

    private static ILogger Logger(DeviceCommandsClientOptions options) =>
        options.LoggerFactory?.CreateLogger(ClientDiagnostics.Name) ?? NullLogger.Instance;
}

/// <summary>
/// The adapter of a client from <see cref="DeviceCommandsClient.Create"/>: Kiota's stock adapter with private JSON
/// factories (Kiota's process-wide registries are never touched), that also knows the client's clock, logger and body
/// limit (<see cref="IClientContext"/>) for the waits and the reader. Every request goes through the stock adapter's
/// own <c>SendAsync</c>.
/// </summary>
internal sealed class ClientAdapter(IAuthenticationProvider authentication, HttpClient httpClient, TimeProvider clock, ILogger logger, long maxResponseBytes)
    : HttpClientRequestAdapter(authentication, new JsonParseNodeFactory(), new JsonSerializationWriterFactory(), httpClient), IClientContext
{
    public TimeProvider Clock { get; } = clock;

    public ILogger Logger { get; } = logger;

    public long MaxResponseBytes { get; } = maxResponseBytes;
}
