using System.Runtime.ExceptionServices;
using System.Text.Json;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Http;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// The one way the request builders send: the request's URL is fixed from its template, and the answer is read by a
/// <see cref="ResponseReader{TModel}"/>, handed directly to the client's own adapter
/// (<see cref="IClientContext.SendAndReadAsync"/>), or to any other adapter as Kiota's response handler on a request
/// sent with <see cref="IRequestAdapter.SendAsync{ModelType}"/>. The result is the model or a typed error:
/// <see cref="ODataError"/> for a non-2xx answer, <see cref="ApiException"/> for a body that cannot be read.
/// A caller's <see cref="ResponseHandlerOption"/> gets the raw answer instead, as in Kiota; through the client's own
/// adapter, an option it cannot honour is refused first (<see cref="RequestOptionsCheck"/>).
/// </summary>
internal static class RequestSender
{
    /// <summary>Every error status maps to <see cref="ODataError"/>, for adapters that read errors themselves.</summary>
    public static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    /// <summary>Sends <paramref name="request"/> and reads its answer; <paramref name="hints"/>, when given, receives the answer's retry hint (a wait's poll).</summary>
    /// <remarks>
    /// An answer the adapter completed at once, with no duration to record, is returned as the adapter's own task (no
    /// second task is made for it); anything else, a failure included, goes through <see cref="CompleteAsync"/>.
    /// </remarks>
    public static Task<TModel?> SendAsync<TModel>(IRequestAdapter adapter, RequestInformation request, ParsableFactory<TModel> factory, CancellationToken cancellationToken, ResponseHints? hints = null)
        where TModel : class, IParsable
    {
        ResponseReader<TModel>? reader;
        try
        {
            reader = Prepare(adapter, request, factory, cancellationToken, hints);
        }
        catch (Exception e)
        {
            return Rethrow<TModel>(e);
        }

        var timed = ClientMetrics.OperationDuration.Enabled;
        var clock = timed ? ClientContext.ClockOf(adapter) : null;
        var started = clock?.GetTimestamp() ?? 0;
        Task<TModel?> sending;
        try
        {
            sending = reader is { } own && adapter is IClientContext client
                ? client.SendAndReadAsync(request, own, cancellationToken)
                : adapter.SendAsync(request, factory, ErrorMapping, cancellationToken);
        }
        catch (Exception e)
        {
            sending = Rethrow<TModel>(e);
        }

        return clock is null && sending.IsCompletedSuccessfully ? sending : CompleteAsync(sending, request, clock, started, cancellationToken);
    }

    /// <summary>
    /// Checks the request and makes the client's reader (unless the caller gave a response handler): the client's own
    /// adapter is handed it directly (returned); any other adapter finds it on the request as Kiota's
    /// <see cref="ResponseHandlerOption"/> (null is returned).
    /// </summary>
    private static ResponseReader<TModel>? Prepare<TModel>(IRequestAdapter adapter, RequestInformation request, ParsableFactory<TModel> factory, CancellationToken cancellationToken, ResponseHints? hints)
        where TModel : class, IParsable
    {
        ArgumentNullException.ThrowIfNull(adapter);
        RequestUrl.Fix(request, adapter.BaseUrl);
        if (adapter is IClientContext)
        {
            RequestOptionsCheck.ThrowIfUnsupported(request);
        }

        var given = request.GetRequestOption<ResponseHandlerOption>();
        if (given is { ResponseHandler: null })
        {
            // an option with no handler asks for nothing: the client's own reader reads the answer
            request.RemoveRequestOptions(given);
            given = null;
        }

        if (given is null)
        {
            var maxBytes = request.GetRequestOption<ResponseSizeLimitOption>()?.MaxBytes ?? ClientContext.MaxResponseBytesOf(adapter);
            var headers = request.GetRequestOption<HeadersInspectionHandlerOption>();
            var reader = new ResponseReader<TModel>(factory, headers, hints, maxBytes, cancellationToken);
            if (adapter is IClientContext)
            {
                return reader;
            }

            // an array, not a collection expression: that would be a generic single-element list (a type of the
            // compiler's, with an enumerator) for the runtime to compile on the first request
            request.AddRequestOptions(new IRequestOption[] { new ResponseHandlerOption { ResponseHandler = reader } });
        }

        return null;
    }

    /// <summary>Awaits the adapter's answer, records its duration when metrics listen, and types its failure (<see cref="Translate"/>).</summary>
    private static async Task<TModel?> CompleteAsync<TModel>(Task<TModel?> sending, RequestInformation request, TimeProvider? clock, long started, CancellationToken cancellationToken)
    {
        try
        {
            var model = await sending.ConfigureAwait(false);
            if (clock is not null)
            {
                ClientMetrics.RecordOperation(ClientMetrics.OperationOf(request), clock.GetElapsedTime(started), null, cancelled: false);
            }

            return model;
        }
        catch (Exception e)
        {
            var typed = Translate(e, request, cancellationToken);
            if (clock is not null)
            {
                ClientMetrics.RecordOperation(ClientMetrics.OperationOf(request), clock.GetElapsedTime(started), typed ?? e, cancellationToken.IsCancellationRequested);
            }

            if (typed is null)
            {
                throw;
            }

            throw typed;
        }
    }

    /// <summary>
    /// A task that fails with <paramref name="e"/> as an async method's would: cancelled for an
    /// <see cref="OperationCanceledException"/>, faulted otherwise (what the caller saw when this class was all async).
    /// </summary>
#pragma warning disable CS1998 // no await: the exception is thrown inside the async method on purpose
    internal static async Task<T?> Rethrow<T>(Exception e)
    {
        ExceptionDispatchInfo.Throw(e);
        return default;
    }
#pragma warning restore CS1998

    /// <summary>Writes a model as the request's JSON body with a stock Kiota writer, without any registry.</summary>
    public static void SetJsonContent(RequestInformation request, IParsable body)
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, body);
        request.SetStreamContent(writer.GetSerializedContent(), "application/json");
    }

    /// <summary>
    /// The one family of errors: a failure of the request itself becomes an <see cref="ApiException"/> (an
    /// <see cref="ODataError"/> for an HTTP answer, else one with the network's, the timeout's or the parser's exception
    /// inside). Null lets it pass as it is: the caller's cancellation, what is typed already, and what the caller's own
    /// code threw (a credential, a handler). The list: docs/transport.md ("Errors").
    /// </summary>
    private static Exception? Translate(Exception e, RequestInformation request, CancellationToken cancellationToken) => e switch
    {
        ODataError => null,

        // an adapter that reads errors itself (ignoring the response handler) and could not map this one
        ApiException api when api.ResponseStatusCode is >= 300 or (> 0 and < 200) =>
            new ODataError(api.Message, api) { ResponseStatusCode = api.ResponseStatusCode, ResponseHeaders = api.ResponseHeaders },

        ApiException => null,

        // HttpClient or the attempt refused to buffer a body over the client's limit
        HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } =>
            new ApiException($"The answer to {Describe(request)} was refused: its body is larger than the client's limit ({e.Message}).", e),

        // an adapter that parsed the body itself (ignoring the response handler)
        JsonException => new ApiException(ErrorText.Sentence($"The answer to {Describe(request)} is not valid JSON: {e.Message}"), e),

        HttpRequestException or TimeoutException or IOException when !cancellationToken.IsCancellationRequested =>
            new ApiException(ErrorText.Sentence($"{Describe(request)} failed before an answer came: {e.Message}"), e),

        // a raw URL (WithUrl) that HttpClient cannot send: not a URL, relative, or another scheme than http(s)
        NotSupportedException or UriFormatException or InvalidOperationException when !IsSendable(request) =>
            new ApiException($"The {request.HttpMethod} request's URL is not an absolute http or https URL, so nothing was sent.", e),

        // a cancellation that is not the caller's (a credential's or a handler's own timeout): a passing failure, typed
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new ApiException(ErrorText.Sentence($"{Describe(request)} was cancelled although the caller's token was not: {e.Message}"), new TimeoutException(e.Message, e)),

        _ => null,
    };

    /// <summary>Whether the request's URL is one HttpClient can send: absolute, http or https.</summary>
    private static bool IsSendable(RequestInformation request)
    {
        try
        {
            var uri = request.URI;
            return uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The request as a log would name it: its method and path, never its query or headers.</summary>
    private static string Describe(RequestInformation request)
    {
        try
        {
            return $"{request.HttpMethod} {request.URI.AbsolutePath}";
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException or ArgumentException)
        {
            return request.HttpMethod.ToString();
        }
    }
}

/// <summary>
/// A request option that caps the size of a response body: a larger one is refused with an
/// <see cref="ApiException"/> as soon as it passes the cap, without being held whole.
/// </summary>
public sealed class ResponseSizeLimitOption : IRequestOption
{
    /// <summary>The largest body read, in bytes, from 1 to <see cref="int.MaxValue"/>. Default 4 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="int.MaxValue"/>.</exception>
    public long MaxBytes
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, int.MaxValue);
            field = value;
        }
    } = ClientContext.DefaultMaxResponseBytes;
}
