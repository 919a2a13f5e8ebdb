using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// Reads an HTTP answer into a model or a typed error, for any adapter that hands responses to a Kiota
/// <see cref="IResponseHandler"/> (the stock <c>HttpClientRequestAdapter</c> does). The models are read by a stock
/// <see cref="Serialization.JsonElementParseNode"/> (Kiota semantics, cheaper) created here, so Kiota's process-wide registries are never touched.
/// </summary>
/// <remarks>
/// Every non-2xx answer becomes an <see cref="ODataError"/>, whatever its body; a 2xx body that is not JSON, is cut
/// short, is too large or is not an object becomes an <see cref="ApiException"/> with the parser's exception inside.
/// </remarks>
internal sealed class ResponseReader<TModel> : IResponseHandler
    where TModel : class, IParsable
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int MaxKeptErrorText = 1024;

    private readonly ParsableFactory<TModel> _factory;
    private readonly HeadersInspectionHandlerOption? _headers;
    private readonly BodyLimits _limits;
    private readonly CancellationToken _cancellationToken;

    public ResponseReader(ParsableFactory<TModel> factory, HeadersInspectionHandlerOption? headers, BodyLimits limits, CancellationToken cancellationToken)
    {
        _factory = factory;
        _headers = headers;
        _limits = limits;
        _cancellationToken = cancellationToken;
    }

    public async Task<TResult?> HandleResponseAsync<TNativeResponse, TResult>(TNativeResponse response, Dictionary<string, ParsableFactory<IParsable>>? errorMappings)
    {
        if (response is not HttpResponseMessage message)
        {
            throw new ApiException($"The adapter gave a response of type {typeof(TNativeResponse).Name}; an HttpResponseMessage was expected.");
        }

        var model = await ReadAsync(message, _factory, _headers, _limits, _cancellationToken).ConfigureAwait(false);
        return model is null ? default : (TResult)(object)model;
    }

    /// <summary>Reads an answer, and disposes it: the model for a 2xx (null for 204 or no body), else throws an <see cref="ODataError"/>.</summary>
    public static async Task<TModel?> ReadAsync(HttpResponseMessage message, ParsableFactory<TModel> factory, HeadersInspectionHandlerOption? headers, BodyLimits limits, CancellationToken cancellationToken)
    {
        using (message)
        {
            CopyHeaders(message, headers);
            if (!message.IsSuccessStatusCode)
            {
                throw await ReadErrorAsync(message, limits, cancellationToken).ConfigureAwait(false);
            }

            return await ReadModelAsync(message, factory, limits, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a 2xx answer's body into a model; null for 204 or an empty body.</summary>
    public static async Task<TModel?> ReadModelAsync(HttpResponseMessage message, ParsableFactory<TModel> factory, BodyLimits limits, CancellationToken cancellationToken)
    {
        var status = (int)message.StatusCode;
        if (message.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        byte[]? buffer = null;
        try
        {
            int length;
            try
            {
                (buffer, length) = await ReadBodyAsync(message.Content, limits, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (!cancellationToken.IsCancellationRequested)
            {
                // the body never arrived whole: the network's failure (transient), not a body that cannot be read
                throw new HttpRequestException(HttpRequestError.ResponseEnded, $"The connection broke off while the body of the HTTP {status} answer was read.", e);
            }
            catch (ApiException e)
            {
                e.ResponseStatusCode = status;
                e.ResponseHeaders = HeaderDictionary(message);
                throw;
            }

            if (length == 0)
            {
                return null;
            }

            JsonDocument document;
            try
            {
                // a string that escapes a lone surrogate ("\ud800") is valid JSON that .NET cannot read: it reads as U+FFFD
                ReadOnlyMemory<byte> json = buffer.AsMemory(0, length);
                if (InvalidUtf16.MayBeIn(json.Span) && InvalidUtf16.Repair(json.Span, ReaderOptions) is { } repaired)
                {
                    json = repaired;
                }

                document = JsonDocument.Parse(json, DocumentOptions);
            }
            catch (JsonException e)
            {
                throw Failure(message, $"The body of the HTTP {status} answer is not valid JSON: {e.Message}", e);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw Failure(message, $"The body of the HTTP {status} answer is JSON of kind {document.RootElement.ValueKind}; an object was expected.", null);
                }

                try
                {
                    return ReadRoot(document.RootElement, factory);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw Failure(message, $"The body of the HTTP {status} answer could not be read into {typeof(TModel).Name}: {e.Message}", e);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private static TModel ReadRoot(JsonElement root, ParsableFactory<TModel> factory) =>
        new JsonElementParseNode(root) { OnAfterAssignFieldValues = TolerantReader.MaterializeAdditionalData }.GetObjectValue(factory);

    /// <summary>Turns any non-2xx answer into an <see cref="ODataError"/>.</summary>
    public static async Task<ODataError> ReadErrorAsync(HttpResponseMessage message, BodyLimits limits, CancellationToken cancellationToken)
    {
        var status = (int)message.StatusCode;
        ODataError? error = null;
        string? text = null;
        byte[]? buffer = null;
        try
        {
            var length = 0;
            try
            {
                (buffer, length) = await ReadBodyAsync(message.Content, limits with { MaxBytes = MaxErrorBodyBytes }, cancellationToken, truncate: true).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // an error body that breaks off still gives an error with its status
            }

            if (length > 0)
            {
                error = TryReadODataError(buffer.AsMemory(0, length));
                if (error is null)
                {
                    text = DecodeText(buffer.AsSpan(0, length));
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        error ??= new ODataError(DescribeStatus(message, text));
        error.ResponseStatusCode = status;
        error.ResponseHeaders = HeaderDictionary(message);
        error.ResponseBody ??= text;
        return error;
    }

    internal static Dictionary<string, IEnumerable<string>> HeaderDictionary(HttpResponseMessage message)
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message.Headers)
        {
            headers[header.Key] = header.Value;
        }

        foreach (var header in message.Content.Headers)
        {
            headers[header.Key] = header.Value;
        }

        return headers;
    }

    private static void CopyHeaders(HttpResponseMessage message, HeadersInspectionHandlerOption? headers)
    {
        if (headers is not { InspectResponseHeaders: true })
        {
            return;
        }

        foreach (var header in message.Headers)
        {
            headers.ResponseHeaders.Add(header.Key, header.Value);
        }

        foreach (var header in message.Content.Headers)
        {
            headers.ResponseHeaders.Add(header.Key, header.Value);
        }
    }

    private static ODataError? TryReadODataError(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var node = new JsonElementParseNode(document.RootElement) { OnAfterAssignFieldValues = TolerantReader.MaterializeAdditionalData };
            var error = node.GetObjectValue(ODataError.CreateFromDiscriminatorValue);
            return error.Error is null ? null : error;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private static string DescribeStatus(HttpResponseMessage message, string? text)
    {
        var reason = message.ReasonPhrase ?? message.StatusCode.ToString();
        var kind = message.Content.Headers.ContentType?.MediaType;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"The service returned HTTP {(int)message.StatusCode} ({reason}){(text is null ? " with no body" : kind is null ? " with a body that is not an OData error" : $" with a {kind} body that is not an OData error")}.");
    }

    private static string DecodeText(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= MaxKeptErrorText ? text : text[..MaxKeptErrorText];
    }

    private static ApiException Failure(HttpResponseMessage message, string text, Exception? inner) =>
        new(text, inner!)
        {
            ResponseStatusCode = (int)message.StatusCode,
            ResponseHeaders = HeaderDictionary(message),
        };

    /// <summary>
    /// One read of the body that cannot hang: a read that does not complete at once must bring bytes within
    /// <see cref="BodyLimits.StallTimeout"/> (on the client's clock), or the answer is abandoned with a
    /// <see cref="TimeoutException"/>. The request's attempt timeout ends when the headers arrive; this covers the body.
    /// </summary>
    private static async ValueTask<int> ReadWithinAsync(Stream stream, Memory<byte> memory, BodyLimits limits, CancellationToken cancellationToken)
    {
        var pending = stream.ReadAsync(memory, cancellationToken);
        if (pending.IsCompleted || limits.StallTimeout == Timeout.InfiniteTimeSpan)
        {
            return await pending.ConfigureAwait(false);
        }

        try
        {
            return await pending.AsTask().WaitAsync(limits.StallTimeout, limits.Clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The answer's body stalled: no bytes came for {limits.StallTimeout}."), e);
        }
    }

    /// <summary>
    /// Reads a body into a pooled buffer, refusing one larger than <see cref="BodyLimits.MaxBytes"/> as soon as it passes
    /// the limit (or, with <paramref name="truncate"/>, keeping only its start), so a huge body is never held whole.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContent content, BodyLimits limits, CancellationToken cancellationToken, bool truncate = false)
    {
        // a buffer never grows past the limit (pooled sizes are powers of two: renting limit + 1 would double it);
        // a body that fills the limit exactly is probed for one more byte instead
        var maxBytes = Math.Clamp(limits.MaxBytes, 0, Array.MaxLength);
        if (!truncate && content.Headers.ContentLength is long declared && declared > maxBytes)
        {
            throw new ApiException(string.Create(CultureInfo.InvariantCulture, $"The answer's body of {declared} bytes is larger than the limit of {maxBytes} bytes."));
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var initial = content.Headers.ContentLength is long known and > 0 ? (int)Math.Min(known + 1, maxBytes) : 4096;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 256));
            var length = 0;
            var larger = false;
            try
            {
                while (true)
                {
                    if (length == maxBytes)
                    {
                        larger = await ReadWithinAsync(stream, new byte[1], limits, cancellationToken).ConfigureAwait(false) > 0;
                        break;
                    }

                    if (length == buffer.Length)
                    {
                        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes));
                        buffer.AsSpan(0, length).CopyTo(grown);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = grown;
                    }

                    var room = (int)Math.Min(buffer.Length - length, maxBytes - length);
                    var read = await ReadWithinAsync(stream, buffer.AsMemory(length, room), limits, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                if (larger && !truncate)
                {
                    throw new ApiException(string.Create(CultureInfo.InvariantCulture, $"The answer's body is larger than the limit of {maxBytes} bytes."));
                }

                return (buffer, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }
}

/// <summary>How much of an answer's body is read, and how long one read may wait for bytes.</summary>
/// <param name="MaxBytes">The largest body read.</param>
/// <param name="StallTimeout">How long one read may wait for bytes; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
/// <param name="Clock">The clock of <paramref name="StallTimeout"/>.</param>
internal readonly record struct BodyLimits(long MaxBytes, TimeSpan StallTimeout, TimeProvider Clock);
