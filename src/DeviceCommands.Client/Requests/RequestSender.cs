using System.Text;
using System.Text.Json;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// Sends a request built by a request builder through any <see cref="IRequestAdapter"/> and gives back the model,
/// or a typed error: <see cref="ODataError"/> for a non-2xx answer, <see cref="ApiException"/> for a body that cannot
/// be read. Transport failures (<see cref="HttpRequestException"/>) and cancellation pass through unchanged.
/// </summary>
internal static class RequestSender
{
    /// <summary>The default cap on a response body: 4 MiB (the service's bodies are a few hundred bytes).</summary>
    public const long DefaultMaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>Every error status maps to <see cref="ODataError"/>, for adapters that read errors themselves.</summary>
    public static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    public static async Task<TModel?> SendAsync<TModel>(IRequestAdapter adapter, RequestInformation request, ParsableFactory<TModel> factory, CancellationToken cancellationToken)
        where TModel : class, IParsable
    {
        ArgumentNullException.ThrowIfNull(adapter);
        RequestFactory.FixUri(request, adapter.BaseUrl);
        if (request.GetRequestOption<ResponseHandlerOption>() is null)
        {
            var limits = adapter is Transport.DeviceCommandsRequestAdapter ours
                ? ours.Limits
                : new BodyLimits(DefaultMaxResponseBytes, Timeout.InfiniteTimeSpan, TimeProvider.System);
            if (request.GetRequestOption<ResponseSizeLimitOption>() is { } sizeLimit)
            {
                limits = limits with { MaxBytes = sizeLimit.MaxBytes };
            }

            request.AddRequestOptions([new ResponseHandlerOption
            {
                ResponseHandler = new ResponseReader<TModel>(factory, request.GetRequestOption<HeadersInspectionHandlerOption>(), limits, cancellationToken),
            }]);
        }

        try
        {
            return await adapter.SendAsync(request, factory, ErrorMapping, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, request.HttpMethod, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The URL for a <c>GET</c> with no request configuration through a client from <see cref="DeviceCommandsClient.Create"/>,
    /// which then goes straight to an <see cref="HttpRequestMessage"/> (<see cref="GetAsync"/>) instead of through a
    /// <see cref="RequestInformation"/>; null when the request must take the Kiota path (another adapter, a raw URL).
    /// </summary>
    public static Uri? DirectUri(IRequestAdapter adapter, string urlTemplate, Dictionary<string, object> pathParameters) =>
        adapter is Transport.DeviceCommandsRequestAdapter { SendsDirect: true } ours
            ? RequestFactory.DirectUri(urlTemplate, pathParameters, ours.BaseUrl!)
            : null;

    /// <summary>Sends a <c>GET</c> for a URL from <see cref="DirectUri"/>: the same request, handlers, reading and errors as <see cref="SendAsync"/>.</summary>
    public static Task<TModel?> GetAsync<TModel>(IRequestAdapter adapter, Uri uri, ParsableFactory<TModel> factory, CancellationToken cancellationToken, HeadersInspectionHandlerOption? headers = null)
        where TModel : class, IParsable =>
        ((Transport.DeviceCommandsRequestAdapter)adapter).GetAsync(uri, factory, headers, cancellationToken);

    /// <summary>
    /// The typed error for a failure that escaped the reader: an adapter's own <see cref="ApiException"/> for an error
    /// status becomes an <see cref="ODataError"/>; a body over <see cref="HttpClient"/>'s buffer limit, or one a parser
    /// choked on, an <see cref="ApiException"/>. Null to let the failure pass unchanged (transport, cancellation).
    /// </summary>
    public static Exception? Translate(Exception e, Method method, CancellationToken cancellationToken) => e switch
    {
        // an adapter that reads errors itself and could not map this one
        ApiException api when api is not ODataError && api.ResponseStatusCode is >= 300 or (> 0 and < 200) =>
            new ODataError(api.Message, api) { ResponseStatusCode = api.ResponseStatusCode, ResponseHeaders = api.ResponseHeaders },

        // HttpClient refused to buffer a body over its MaxResponseContentBufferSize: a body too large to read
        HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } =>
            new ApiException($"The answer to {method} is larger than the client's limit on response bodies: {e.Message}", e),

        _ when IsReadFailure(e) && !cancellationToken.IsCancellationRequested =>
            new ApiException($"The answer to {method} could not be read: {e.Message}", e),

        _ => null,
    };

    /// <summary>Writes a model as the request's JSON body with a stock Kiota writer, without any registry.</summary>
    public static void SetJsonContent(RequestInformation request, IParsable body)
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, body);
        request.SetStreamContent(writer.GetSerializedContent(), "application/json");
    }

    private static bool IsReadFailure(Exception e) =>
        e is JsonException or InvalidOperationException or FormatException or NullReferenceException or InvalidCastException
            or OverflowException or DecoderFallbackException or KeyNotFoundException or IndexOutOfRangeException
        && e is not ObjectDisposedException;
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
    } = RequestSender.DefaultMaxResponseBytes;
}
