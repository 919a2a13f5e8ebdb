using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
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
/// work is skipped (the client's own handlers trace and log every request). Every other request, and every other
/// <see cref="IRequestAdapter"/> member, is the stock adapter's.
/// </remarks>
internal sealed class DeviceCommandsRequestAdapter : HttpClientRequestAdapter, IRequestAdapter
{
    private const string ClaimsKey = "claims";

    private readonly IAuthenticationProvider _authentication;
    private readonly HttpClient _httpClient;

    public DeviceCommandsRequestAdapter(IAuthenticationProvider authentication, HttpClient httpClient, DeviceCommandsClientOptions options)
        : base(authentication, new JsonParseNodeFactory(), new JsonSerializationWriterFactory(), httpClient)
    {
        _authentication = authentication;
        _httpClient = httpClient;
        Options = options;
        Logger = ClientPipeline.Logger(options);
        BaseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
    }

    public DeviceCommandsClientOptions Options { get; }

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
        var context = claims is null ? null : new Dictionary<string, object> { [ClaimsKey] = claims };
        await _authentication.AuthenticateRequestAsync(requestInfo, context, cancellationToken).ConfigureAwait(false);

        using var message = ToMessage(requestInfo);
        var response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

        // continuous access evaluation: a 401 that names the claims it wants is answered once with a token for them
        if (claims is null && response.StatusCode == HttpStatusCode.Unauthorized && (requestInfo.Content?.CanSeek ?? true)
            && ClaimsChallenge(response.Headers.WwwAuthenticate) is { } challenge)
        {
            response.Dispose();
            requestInfo.Content?.Seek(0, SeekOrigin.Begin);
            return await SendRequestAsync(requestInfo, challenge, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

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
