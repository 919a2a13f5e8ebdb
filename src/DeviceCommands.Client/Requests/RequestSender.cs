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
            var ours = adapter as Transport.DeviceCommandsRequestAdapter;
            var limits = new BodyLimits(
                request.GetRequestOption<ResponseSizeLimitOption>()?.MaxBytes ?? ours?.Options.MaxResponseContentBytes ?? DefaultMaxResponseBytes,
                ours?.Options.AttemptTimeout ?? Timeout.InfiniteTimeSpan,
                ours?.Options.TimeProvider ?? TimeProvider.System);
            request.AddRequestOptions([new ResponseHandlerOption
            {
                ResponseHandler = new ResponseReader<TModel>(factory, request.GetRequestOption<HeadersInspectionHandlerOption>(), limits, cancellationToken),
            }]);
        }

        try
        {
            return await adapter.SendAsync(request, factory, ErrorMapping, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e is not ODataError && e.ResponseStatusCode is >= 300 or (> 0 and < 200))
        {
            // an adapter that reads errors itself and could not map this one
            throw new ODataError(e.Message, e) { ResponseStatusCode = e.ResponseStatusCode, ResponseHeaders = e.ResponseHeaders };
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // HttpClient refused to buffer a body over its MaxResponseContentBufferSize: a body too large to read
            throw new ApiException($"The answer to {request.HttpMethod} is larger than the client's limit on response bodies: {e.Message}", e);
        }
        catch (Exception e) when (IsReadFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiException($"The answer to {request.HttpMethod} could not be read: {e.Message}", e);
        }
    }

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
