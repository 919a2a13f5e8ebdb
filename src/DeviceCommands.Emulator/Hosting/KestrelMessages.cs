using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>
/// The in-memory handler's translations between <see cref="HttpClient"/>'s messages and what Kestrel sees and sends:
/// the request's headers and framing, the answers Kestrel gives itself, and the response built from the pipeline's.
/// </summary>
internal static class KestrelMessages
{
    /// <summary>
    /// What Kestrel answers itself, before the emulator sees the request: 414 for a request line over its 8 KiB, 431
    /// for headers over its 32 KiB (both with no body).
    /// </summary>
    public static HttpResponseMessage? RefusedAsKestrelWould(HttpRequestMessage request, Uri uri, HeaderDictionary headers)
    {
        const int MaxRequestLine = 8 * 1024, MaxHeaders = 32 * 1024;
        int line = request.Method.Method.Length + uri.PathAndQuery.Length + " HTTP/1.1\r\n".Length + 1;
        int size = headers.Sum(header => header.Key.Length + header.Value.ToString().Length + 4);
        HttpStatusCode? status = line > MaxRequestLine ? HttpStatusCode.RequestUriTooLong
            : size > MaxHeaders ? HttpStatusCode.RequestHeaderFieldsTooLarge
            : null;
        return status is { } refused ? Refused(request, refused) : null;
    }

    /// <summary>An answer Kestrel gives itself, with no body.</summary>
    public static HttpResponseMessage Refused(HttpRequestMessage request, HttpStatusCode status) =>
        new(status) { RequestMessage = request, Content = new ByteArrayContent([]), Version = HttpVersion.Version11 };

    /// <summary>The headers Kestrel would see: <c>Host</c>, the request's and its content's, and the body's framing.</summary>
    public static HeaderDictionary RequestHeaders(HttpRequestMessage request, Uri uri)
    {
        HeaderDictionary headers = new() { ["Host"] = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}" };
        Add(headers, request.Headers.NonValidated);
        if (request.Content is { } content)
        {
            Add(headers, content.Headers.NonValidated);
            if (content.Headers.ContentLength is { } length)
            {
                headers.ContentLength = length;
            }
            else
            {
                headers["Transfer-Encoding"] = "chunked";
            }
        }

        return headers;
    }

    private static void Add(HeaderDictionary headers, System.Net.Http.Headers.HttpHeadersNonValidated source)
    {
        foreach ((string name, System.Net.Http.Headers.HeaderStringValues values) in source)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string value = values.ToString();
            foreach (char c in value)
            {
                if (c is not '\t' and (< ' ' or > '~'))
                {
                    throw new HttpRequestException(HttpRequestError.Unknown,
                        $"The value of the request header '{name}' holds a control or non-ASCII character; it cannot be sent.");
                }
            }

            headers[name] = value;
        }
    }

    public static HttpResponseMessage Response(HttpRequestMessage request, InMemoryResponseFeature feature, byte[] body)
    {
        HttpResponseMessage response = new((HttpStatusCode)feature.StatusCode)
        {
            RequestMessage = request,
            Version = HttpVersion.Version11,
            ReasonPhrase = ReasonPhrases.GetReasonPhrase(feature.StatusCode),
        };
        bool head = request.Method == HttpMethod.Head; // Kestrel sends no body to a HEAD, only its length
        ByteArrayContent content = new(head ? [] : body);
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in feature.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue; // the content's own length
            }

            string?[] all = values.ToArray();
            if (!response.Headers.TryAddWithoutValidation(name, all))
            {
                content.Headers.TryAddWithoutValidation(name, all);
            }
        }

        if (head && feature.Headers.ContentLength is { } length)
        {
            content.Headers.ContentLength = length;
        }

        response.Headers.Date ??= DateTimeOffset.UtcNow; // as Kestrel sends it
        response.Content = content;
        return response;
    }
}
