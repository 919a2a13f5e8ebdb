using System.Net;
using System.Net.Http.Headers;
using DeviceCommands.Client.Requests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The Kiota adapter made by <see cref="DeviceCommandsClient.Create"/>: a stock <see cref="HttpClientRequestAdapter"/>
/// with private JSON factories, that remembers the options it was made with (its clock, its logger) for helpers
/// such as the command waits.
/// </summary>
/// <remarks>
/// It sends the package's own requests (those that carry the package's response handler) itself: the request goes out
/// with <see cref="HttpCompletionOption.ResponseHeadersRead"/>, so the body is read once, as a stream, under the size
/// limit, instead of being buffered by <see cref="HttpClient"/> and then read again; and Kiota's per-request tracing
/// work is skipped (the client's own handlers trace and log every request). The package's plain GETs (no request
/// configuration) skip <see cref="RequestInformation"/> altogether (<see cref="GetAsync"/>). Every other request, and
/// every other <see cref="IRequestAdapter"/> member, is the stock adapter's.
/// </remarks>
internal sealed class DeviceCommandsRequestAdapter : HttpClientRequestAdapter, IRequestAdapter
{
    private const string ClaimsKey = "claims";

    private const string AuthorizationHeader = "Authorization";

    private readonly IAuthenticationProvider _authentication;
    private readonly IAccessTokenProvider? _tokens;
    private readonly HttpClient _httpClient;

    public DeviceCommandsRequestAdapter(IAuthenticationProvider authentication, HttpClient httpClient, DeviceCommandsClientOptions options)
        : base(authentication, new JsonParseNodeFactory(), new JsonSerializationWriterFactory(), httpClient)
    {
        _authentication = authentication;
        _httpClient = httpClient;
        Options = options;
        Logger = ClientPipeline.Logger(options);
        BaseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        Limits = new BodyLimits(options.MaxResponseContentBytes, options.AttemptTimeout, options.TimeProvider);

        // a GET with no configuration can skip RequestInformation when the token comes the way these providers get it
        (SendsDirect, _tokens) = authentication switch
        {
            AnonymousAuthenticationProvider => (true, null),
            BaseBearerTokenAuthenticationProvider bearer => (true, bearer.AccessTokenProvider),
            _ => (false, null),
        };
    }

    public DeviceCommandsClientOptions Options { get; }

    /// <summary>How the package's requests read their answers: the options' size limit, attempt timeout (for a stalled body) and clock.</summary>
    public BodyLimits Limits { get; }

    /// <summary>Whether <see cref="GetAsync"/> can send a request without a <see cref="RequestInformation"/>.</summary>
    public bool SendsDirect { get; }

    public ILogger Logger { get; }

    /// <summary>The clock of the client behind <paramref name="adapter"/>: its options' one for a client from <c>Create</c>, else the system clock.</summary>
    public static TimeProvider TimeProviderOf(IRequestAdapter adapter) =>
        adapter is DeviceCommandsRequestAdapter ours ? ours.Options.TimeProvider : TimeProvider.System;

    /// <summary>The logger of the client behind <paramref name="adapter"/>: its options' one for a client from <c>Create</c>, else none.</summary>
    public static ILogger LoggerOf(IRequestAdapter adapter) =>
        adapter is DeviceCommandsRequestAdapter ours ? ours.Logger : NullLogger.Instance;

    async Task<TModel?> IRequestAdapter.SendAsync<TModel>(RequestInformation requestInfo, ParsableFactory<TModel> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping, CancellationToken cancellationToken)
        where TModel : default
    {
        ArgumentNullException.ThrowIfNull(requestInfo);
        if (requestInfo.GetRequestOption<ResponseHandlerOption>()?.ResponseHandler is not { } handler)
        {
            return await SendAsync(requestInfo, factory, errorMapping, cancellationToken).ConfigureAwait(false);
        }

        var response = await SendRequestAsync(requestInfo, claims: null, cancellationToken).ConfigureAwait(false);
        return await handler.HandleResponseAsync<HttpResponseMessage, TModel>(response, errorMapping).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRequestAsync(RequestInformation requestInfo, string? claims, CancellationToken cancellationToken)
    {
        requestInfo.PathParameters["baseurl"] = BaseUrl!;
        await _authentication.AuthenticateRequestAsync(requestInfo, ClaimsContext(claims), cancellationToken).ConfigureAwait(false);

        using var message = ToMessage(requestInfo);
        var response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

        if (claims is null && (requestInfo.Content?.CanSeek ?? true) && ClaimsChallenge(response) is { } challenge)
        {
            response.Dispose();
            requestInfo.Content?.Seek(0, SeekOrigin.Begin);
            return await SendRequestAsync(requestInfo, challenge, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>
    /// A <c>GET</c> of one of the package's own URLs (<see cref="Requests.RequestSender.DirectUri"/>) with no request
    /// configuration: the same message as the Kiota path sends (the <c>Accept</c> header, a bearer token from the same
    /// provider, the same handlers, the same continuous-access-evaluation retry) and the same reading and typed errors,
    /// without building a <see cref="RequestInformation"/> first. Status polls take this path.
    /// </summary>
    public async Task<TModel?> GetAsync<TModel>(Uri uri, ParsableFactory<TModel> factory, HeadersInspectionHandlerOption? headers, CancellationToken cancellationToken)
        where TModel : class, IParsable
    {
        try
        {
            var response = await SendGetAsync(uri, claims: null, cancellationToken).ConfigureAwait(false);
            return await ResponseReader<TModel>.ReadAsync(response, factory, headers, Limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RequestSender.Translate(e, Microsoft.Kiota.Abstractions.Method.GET, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<HttpResponseMessage> SendGetAsync(Uri uri, string? claims, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var message = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version20 })
        {
            message.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (_tokens is not null
                && await _tokens.GetAuthorizationTokenAsync(uri, ClaimsContext(claims), cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            {
                message.Headers.TryAddWithoutValidation(AuthorizationHeader, "Bearer " + token);
            }

            response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }

        if (claims is null && ClaimsChallenge(response) is { } challenge)
        {
            response.Dispose();
            return await SendGetAsync(uri, challenge, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static Dictionary<string, object>? ClaimsContext(string? claims) =>
        claims is null ? null : new Dictionary<string, object> { [ClaimsKey] = claims };

    /// <summary>
    /// Continuous access evaluation: the claims a 401 names (<c>WWW-Authenticate: Bearer …, claims="…"</c>), for which
    /// the request is sent once more with a new token; null for any other answer.
    /// </summary>
    private static string? ClaimsChallenge(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized ? ClaimsChallenge(response.Headers.WwwAuthenticate) : null;

    private static HttpRequestMessage ToMessage(RequestInformation requestInfo)
    {
        var message = new HttpRequestMessage(Method(requestInfo.HttpMethod), requestInfo.URI) { Version = HttpVersion.Version20 };
        if (requestInfo.Content is { } body && body != Stream.Null)
        {
            message.Content = new StreamContent(body);
        }

        foreach (var header in requestInfo.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        // Kiota middleware a user may add reads its options from the message, under the option's type name
        foreach (var option in requestInfo.RequestOptions)
        {
            message.Options.Set(new HttpRequestOptionsKey<IRequestOption>(option.GetType().FullName!), option);
        }

        return message;
    }

    private static HttpMethod Method(Method method) => method switch
    {
        Microsoft.Kiota.Abstractions.Method.GET => HttpMethod.Get,
        Microsoft.Kiota.Abstractions.Method.POST => HttpMethod.Post,
        Microsoft.Kiota.Abstractions.Method.PUT => HttpMethod.Put,
        Microsoft.Kiota.Abstractions.Method.PATCH => HttpMethod.Patch,
        Microsoft.Kiota.Abstractions.Method.DELETE => HttpMethod.Delete,
        Microsoft.Kiota.Abstractions.Method.HEAD => HttpMethod.Head,
        Microsoft.Kiota.Abstractions.Method.OPTIONS => HttpMethod.Options,
        Microsoft.Kiota.Abstractions.Method.TRACE => HttpMethod.Trace,
        _ => new HttpMethod(method.ToString()),
    };

    /// <summary>The <c>claims</c> of a Bearer challenge (<c>WWW-Authenticate: Bearer …, claims="…"</c>), if any.</summary>
    private static string? ClaimsChallenge(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges)
    {
        foreach (var challenge in challenges)
        {
            if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is not { } parameters)
            {
                continue;
            }

            foreach (var part in parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith(ClaimsKey, StringComparison.OrdinalIgnoreCase) && part.IndexOf('"', StringComparison.Ordinal) is var open and >= 0
                    && part.LastIndexOf('"') is var close && close > open)
                {
                    return part[(open + 1)..close];
                }
            }
        }

        return null;
    }
}
