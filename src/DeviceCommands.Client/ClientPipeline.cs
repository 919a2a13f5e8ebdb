using System.Net;
using Azure.Core;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.Client;

/// <summary>
/// Puts together the client of <see cref="DeviceCommandsClient.Create"/> and of the dependency-injection registration:
/// a stock Kiota adapter over an <see cref="HttpClient"/> whose handlers are, from the outside in: diagnostics, safe
/// redirects, resilience, headers inspection, the user's handlers (dependency injection only), the request guard, the
/// transport. Kiota's own middleware is not used, so there is one retry layer. Each handler's job: docs/transport.md.
/// </summary>
internal static class ClientPipeline
{
    /// <summary>An adapter over a new <see cref="HttpClient"/> on the caller's handler, or else the shared transport.</summary>
    public static ClientAdapter CreateAdapter(TokenCredential? credential, DeviceCommandsClientOptions options)
    {
        HttpMessageHandler transport = options.HttpMessageHandler is { } given ? new SharedTransport.NotOwned(given) : SharedTransport.Handler;
        HttpMessageHandler chain = Guard(options, transport);
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
        httpClient.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent(options.UserAgentSuffix));

        IAuthenticationProvider authentication = credential is null
            ? new AnonymousAuthenticationProvider()
            : new BaseBearerTokenAuthenticationProvider(new CredentialTokenProvider(credential, options.BaseUrl, options.EffectiveScopes(), options.TimeProvider));
        return new ClientAdapter(authentication, httpClient, options.TimeProvider, Logger(options), options.MaxResponseContentBytes)
        {
            BaseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/'),
            Callbacks = options.Callbacks,
        };
    }

    /// <summary>
    /// The request guard on the transport: the last handler before the wire, so it sees every header, one a handler of
    /// yours added included (through dependency injection, yours run between the client's and the guard).
    /// </summary>
    public static DelegatingHandler Guard(DeviceCommandsClientOptions options, HttpMessageHandler transport) =>
        new RequestGuardHandler(options.BaseUrl) { InnerHandler = transport };

    /// <summary>The client's handlers above the guard, outermost first.</summary>
    public static DelegatingHandler[] CreateHandlers(DeviceCommandsClientOptions options)
    {
        var logger = Logger(options);
        var resilience = new ResilienceSettings(options.MaxRetries, options.RetryDelay, options.MaxRetryAfter, options.AttemptTimeout, options.RetryJitterSeed,
            options.MaxResponseContentBytes, options.TimeProvider, options.ConfiguredStrategies);
        return
        [
            new DiagnosticsHandler(logger, options.TimeProvider),
            new SafeRedirectHandler(),
            new ResilienceHandler(resilience, logger),
            new HeadersInspectionHandler(),
        ];
    }

    /// <summary>
    /// The <c>User-Agent</c>: <c>DeviceCommands.Client/{version}</c>, then the caller's suffix (checked with the other
    /// options, see <see cref="DeviceCommandsClientOptions.UserAgentSuffix"/>). It is kept as text, so that no request
    /// copies parsed header objects.
    /// </summary>
    private static string UserAgent(string? suffix) =>
        string.IsNullOrWhiteSpace(suffix) ? ClientDiagnostics.UserAgent : $"{ClientDiagnostics.UserAgent} {suffix.Trim()}";

    private static ILogger Logger(DeviceCommandsClientOptions options) =>
        options.LoggerFactory?.CreateLogger(ClientDiagnostics.Name) ?? NullLogger.Instance;
}
