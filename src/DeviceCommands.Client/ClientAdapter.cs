using System.Net;
using System.Net.Http.Headers;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Http;
using DeviceCommands.Client.Requests;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client;

/// <summary>
/// The adapter of a client from <see cref="DeviceCommandsClient.Create"/>: Kiota's stock adapter with private JSON
/// factories, that also knows the client's clock, logger and body limit (<see cref="IClientContext"/>).
/// </summary>
/// <remarks>
/// A request with a response handler takes a shorter path than the stock adapter's: the message is made as Kiota's
/// <see cref="HttpClientRequestAdapter.ConvertToNativeRequestAsync{T}"/> makes it, without its per-request template
/// tracing or a second read of the body, and with the same claims challenge; any other request is the stock adapter's.
/// Details: docs/transport.md ("The adapter").
/// </remarks>
internal sealed class ClientAdapter : HttpClientRequestAdapter, IRequestAdapter, IClientContext
{
    private const string ClaimsKey = "claims";

    private readonly IAuthenticationProvider _authentication;
    private readonly HttpClient _httpClient;
    private readonly ObservabilityOptions _observability;

    public ClientAdapter(IAuthenticationProvider authentication, HttpClient httpClient, TimeProvider clock, ILogger logger, long maxResponseBytes)
        : this(authentication, httpClient, new ObservabilityOptions(), clock, logger, maxResponseBytes)
    {
    }

    private ClientAdapter(IAuthenticationProvider authentication, HttpClient httpClient, ObservabilityOptions observability, TimeProvider clock, ILogger logger, long maxResponseBytes)
        : base(authentication, new JsonParseNodeFactory(), new JsonSerializationWriterFactory(), httpClient, observability)
    {
        _authentication = authentication;
        _httpClient = httpClient;
        _observability = observability;
        Clock = clock;
        Logger = logger;
        MaxResponseBytes = maxResponseBytes;
    }

    public TimeProvider Clock { get; }

    public ILogger Logger { get; }

    public long MaxResponseBytes { get; }

    public Callbacks.CommandCallbackReceiver? Callbacks { get; init; }

    Task<TModel?> IRequestAdapter.SendAsync<TModel>(RequestInformation requestInfo, ParsableFactory<TModel> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping, CancellationToken cancellationToken)
        where TModel : default
    {
        if (requestInfo?.GetRequestOption<ResponseHandlerOption>()?.ResponseHandler is not { } handler)
        {
            return requestInfo is null ? RequestSender.Rethrow<TModel>(new ArgumentNullException(nameof(requestInfo))) : SendAsync(requestInfo, factory, errorMapping, cancellationToken);
        }

        // an answer the attempt completed at once goes to the handler here, and the handler's task is the caller's
        var sending = SendRequestAsync(requestInfo, cancellationToken);
        if (!sending.IsCompletedSuccessfully)
        {
            return HandleAsync<TModel>(sending, handler, errorMapping);
        }

        try
        {
            return handler.HandleResponseAsync<HttpResponseMessage, TModel>(Show(sending.Result), errorMapping);
        }
        catch (Exception e)
        {
            return RequestSender.Rethrow<TModel>(e);
        }
    }

    /// <inheritdoc/>
    public Task<TModel?> SendAndReadAsync<TModel>(RequestInformation request, ResponseReader<TModel> reader, CancellationToken cancellationToken)
        where TModel : class, IParsable
    {
        // an answer the attempt completed at once is read here, into the caller's one task
        var sending = SendRequestAsync(request, cancellationToken);
        return sending.IsCompletedSuccessfully ? reader.ReadAsync(sending.Result).AsTask() : ReadAsync(sending, reader);
    }

    private static async Task<TModel?> ReadAsync<TModel>(ValueTask<HttpResponseMessage> sending, ResponseReader<TModel> reader)
        where TModel : class, IParsable
    {
        var response = await sending.ConfigureAwait(false);
        return await reader.ReadAsync(response).ConfigureAwait(false);
    }

    private static async Task<TModel?> HandleAsync<TModel>(ValueTask<HttpResponseMessage> sending, IResponseHandler handler, Dictionary<string, ParsableFactory<IParsable>>? errorMapping)
    {
        var response = await sending.ConfigureAwait(false);
        return await handler.HandleResponseAsync<HttpResponseMessage, TModel>(Show(response), errorMapping).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer as a caller's handler gets it: with its content headers (<see cref="PooledContent.ShowHeaders"/>).
    /// The client's own reader never comes this way (<see cref="SendAndReadAsync"/>).
    /// </summary>
    private static HttpResponseMessage Show(HttpResponseMessage response)
    {
        PooledContent.ShowHeaders(response);
        return response;
    }

    // a ValueTask: a send that completes at once allocates no task of its own
    private async ValueTask<HttpResponseMessage> SendRequestAsync(RequestInformation requestInfo, CancellationToken cancellationToken)
    {
        // disposing the message would dispose the body's stream, which a retry reads again
        using var message = await ToMessageAsync(requestInfo, cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (ClaimsOf(response) is not { } claims || !(requestInfo.Content?.CanSeek ?? true))
        {
            return response;
        }

        response.Dispose();
        requestInfo.Content?.Seek(0, SeekOrigin.Begin);
        await _authentication.AuthenticateRequestAsync(requestInfo, new Dictionary<string, object> { [ClaimsKey] = claims }, cancellationToken).ConfigureAwait(false);
        using var again = await ToMessageAsync(requestInfo, cancellationToken).ConfigureAwait(false);
        return await SendAsync(again, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The request, authenticated, as a message: what Kiota's <see cref="HttpClientRequestAdapter.ConvertToNativeRequestAsync{T}"/>
    /// makes (the adapter's base URL, the request options in the message's options, the headers, a stream body),
    /// without its per-request costs: a new <see cref="HttpMethod"/> and method name, a task, a tracing span asked for
    /// when nothing listens. The client's own response reader is handed over directly, never as an option, and Kiota's
    /// <see cref="ObservabilityOptions"/> go in only while something listens to Kiota's tracing
    /// (<see cref="KiotaTracing"/>): a message with no option of the caller's makes no options dictionary at all.
    /// </summary>
    private async ValueTask<HttpRequestMessage> ToMessageAsync(RequestInformation requestInfo, CancellationToken cancellationToken)
    {
        await _authentication.AuthenticateRequestAsync(requestInfo, null, cancellationToken).ConfigureAwait(false);
        requestInfo.PathParameters["baseurl"] = BaseUrl!;
        var message = new ClientRequestMessage(MethodOf(requestInfo.HttpMethod), requestInfo.URI)
        {
            Version = _httpClient.DefaultRequestVersion,
            VersionPolicy = _httpClient.DefaultVersionPolicy,
        };
        // Kiota's collections, enumerated by their own struct enumerators where they are the known types (no boxing)
        if (requestInfo.RequestOptions is Dictionary<string, IRequestOption>.ValueCollection options)
        {
            foreach (var option in options)
            {
                message.SetOption(option.GetType().FullName!, option);
            }
        }
        else
        {
            foreach (var option in requestInfo.RequestOptions)
            {
                message.SetOption(option.GetType().FullName!, option);
            }
        }

        if (KiotaTracing.HasListeners())
        {
            message.SetOption<IRequestOption>(typeof(ObservabilityOptions).FullName!, _observability);
        }

        if (requestInfo.Content is { } content && content != Stream.Null)
        {
            message.Content = new StreamContent(content);
        }

        var headers = requestInfo.Headers;
        if (headers.Keys is Dictionary<string, HashSet<string>>.KeyCollection names)
        {
            foreach (var name in names)
            {
                headers.TryGetValue(name, out var values);
                AddHeader(message, name, values);
            }
        }
        else
        {
            foreach (var (name, values) in headers)
            {
                AddHeader(message, name, values);
            }
        }

        return message;
    }

    /// <summary>
    /// Adds a header as Kiota's adapter does (to the message, else to its content); each value as a string of its own,
    /// so a header of one value is stored as that string, with no list of values made for it.
    /// </summary>
    private static void AddHeader(HttpRequestMessage message, string name, IEnumerable<string> values)
    {
        if (values is not HashSet<string> set)
        {
            if (!message.Headers.TryAddWithoutValidation(name, values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, values);
            }

            return;
        }

        var target = (HttpHeaders)message.Headers;
        foreach (var value in set)
        {
            if (!target.TryAddWithoutValidation(name, value))
            {
                if (message.Content is null || ReferenceEquals(target, message.Content.Headers))
                {
                    return;
                }

                target = message.Content.Headers;
                target.TryAddWithoutValidation(name, value);
            }
        }
    }

    /// <summary>The method, as Kiota names it (upper case), from the shared instances.</summary>
    private static HttpMethod MethodOf(Method method) => method switch
    {
        Method.GET => HttpMethod.Get,
        Method.POST => HttpMethod.Post,
        Method.PUT => HttpMethod.Put,
        Method.PATCH => HttpMethod.Patch,
        Method.DELETE => HttpMethod.Delete,
        Method.HEAD => HttpMethod.Head,
        Method.OPTIONS => HttpMethod.Options,
        Method.TRACE => HttpMethod.Trace,
        _ => new HttpMethod(method.ToString().ToUpperInvariant()),
    };

    // the attempt has read the body already: HttpClient need not read it again
    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken) =>
        _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>The <c>claims</c> of a 401's Bearer challenge (<c>WWW-Authenticate: Bearer …, claims="…"</c>); null for any other answer.</summary>
    private static string? ClaimsOf(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return null;
        }

        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && challenge.Parameter is { } parameters)
            {
                foreach (var part in parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (part.StartsWith(ClaimsKey, StringComparison.OrdinalIgnoreCase) && part.IndexOf('"', StringComparison.Ordinal) is var open and >= 0
                        && part.LastIndexOf('"') is var close && close > open + 1)
                    {
                        return part[(open + 1)..close];
                    }
                }
            }
        }

        return null;
    }
}
