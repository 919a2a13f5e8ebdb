using System.Globalization;
using System.Net;
using System.Text.Json;
using DeviceCommands.Client.Http;
using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// Reads the answer to every request the builders send into a model or a typed error: a non-2xx answer becomes an
/// <see cref="Models.ODataError"/> (<see cref="ErrorReader"/>); a 2xx body is read under the size limit
/// (<see cref="BodyReader"/>) and parsed by the client's own node (<see cref="JsonBody"/>), never Kiota's registries.
/// A body that is not a JSON object is an <see cref="ApiException"/> with the parser's exception inside; 204 or an
/// empty body is null.
/// </summary>
/// <remarks>
/// A struct: the client's own adapter takes it as it is (<see cref="IClientContext.SendAndReadAsync"/>); any other
/// adapter gets it boxed, as the handler of a <see cref="ResponseHandlerOption"/>.
/// </remarks>
internal readonly struct ResponseReader<TModel>(ParsableFactory<TModel> factory, HeadersInspectionHandlerOption? headers, ResponseHints? hints, long maxBytes, CancellationToken cancellationToken) : IResponseHandler
    where TModel : class, IParsable
{
    public async Task<TResult?> HandleResponseAsync<TNativeResponse, TResult>(TNativeResponse response, Dictionary<string, ParsableFactory<IParsable>>? errorMappings)
    {
        if (response is not HttpResponseMessage message)
        {
            throw new ApiException($"The adapter gave a response of type {typeof(TNativeResponse).Name}; an HttpResponseMessage was expected.");
        }

        var model = await ReadAsync(message).ConfigureAwait(false);
        return model is null ? default : (TResult)(object)model;
    }

    /// <summary>Reads (and disposes) the answer: the model, null for no body, or a typed error thrown.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: an answer the attempt buffered is read with no task of its own.</remarks>
    public async ValueTask<TModel?> ReadAsync(HttpResponseMessage message)
    {
        using (message)
        {
            CopyHeaders(message);
            hints?.Capture(message);
            if (!message.IsSuccessStatusCode)
            {
                throw await ErrorReader.ReadAsync(message, cancellationToken).ConfigureAwait(false);
            }

            return await ReadModelAsync(message).ConfigureAwait(false);
        }
    }

    // a ValueTask: a body the attempt buffered is read synchronously, with no task allocated
    private async ValueTask<TModel?> ReadModelAsync(HttpResponseMessage message)
    {
        if (message.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        var status = (int)message.StatusCode;
        PooledBody body;
        try
        {
            body = await BodyReader.ReadAsync(message.Content, maxBytes, truncate: false, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            // the body never arrived whole: the network's failure (transient), not a body that cannot be read
            throw new HttpRequestException(HttpRequestError.ResponseEnded, $"The connection broke off while the body of the HTTP {status} answer was read.", e);
        }
        catch (ApiException e)
        {
            throw Typed(e, message);
        }

        using (body)
        {
            if (body.Length == 0)
            {
                return null;
            }

            JsonDocument document;
            bool careful;
            try
            {
                document = JsonBody.Parse(body.Memory, out careful);
            }
            catch (PayloadTooDeepException e)
            {
                throw Typed(new ApiException($"The HTTP {status} answer cannot be read: {e.Message}", e), message);
            }
            catch (JsonException e)
            {
                throw Typed(new ApiException($"The body of the HTTP {status} answer is not valid JSON: {e.Message}", e), message);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw Typed(new ApiException(string.Create(CultureInfo.InvariantCulture, $"The body of the HTTP {status} answer is JSON of kind {document.RootElement.ValueKind}; an object was expected.")), message);
                }

                try
                {
                    return JsonBody.Root(document.RootElement, careful).GetObjectValue(factory);
                }
                catch (PayloadTooDeepException e)
                {
                    throw Typed(new ApiException($"The HTTP {status} answer cannot be read: {e.Message}", e), message);
                }
            }
        }
    }

    private void CopyHeaders(HttpResponseMessage message)
    {
        if (headers is not { InspectResponseHeaders: true })
        {
            return;
        }

        // the client's own HeadersInspectionHandler filled them already (each attempt afresh): copying again would
        // only parse every header a second time
        if (message.RequestMessage is { } sent && sent.Options.TryGetValue(new HttpRequestOptionsKey<object?>(ResponseHeadersMark.Key), out _))
        {
            return;
        }

        foreach (var header in message.Headers)
        {
            headers.ResponseHeaders.Add(header.Key, header.Value);
        }

        foreach (var header in PooledContent.HeadersOf(message.Content))
        {
            headers.ResponseHeaders.Add(header.Key, header.Value);
        }
    }

    private static ApiException Typed(ApiException e, HttpResponseMessage message)
    {
        e.ResponseStatusCode = (int)message.StatusCode;
        e.ResponseHeaders = ErrorReader.Headers(message);
        return e;
    }
}

/// <summary>The request option the client's <c>HeadersInspectionHandler</c> sets once it has copied a response's headers.</summary>
internal static class ResponseHeadersMark
{
    public const string Key = "DeviceCommands.ResponseHeadersInspected";
}
