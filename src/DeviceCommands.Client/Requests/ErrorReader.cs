using System.Globalization;
using System.Text;
using System.Text.Json;
using DeviceCommands.Client.Http;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// Turns any non-2xx answer into an <see cref="ODataError"/> with its status and headers: <see cref="ODataError.Error"/>
/// from an OData error body, else <c>ResponseBody</c> with the start of whatever came (HTML, text), or nothing.
/// </summary>
internal static class ErrorReader
{
    /// <summary>How much of an error's body is read; the rest is not waited for.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>How much of a body that is not an OData error is kept as text.</summary>
    private const int MaxKeptText = 1024;

    public static async Task<ODataError> ReadAsync(HttpResponseMessage message, CancellationToken cancellationToken)
    {
        ODataError? error = null;
        string? text = null;
        PooledBody body = default;
        try
        {
            try
            {
                body = await BodyReader.ReadAsync(message.Content, MaxBodyBytes, truncate: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // an error body that breaks off still gives an error with its status
            }

            if (body.Length > 0)
            {
                error = TryReadODataError(body.Memory);
                if (error is null)
                {
                    text = Encoding.UTF8.GetString(body.Memory.Span);
                    text = text.Length <= MaxKeptText ? text : text[..MaxKeptText];
                }
            }
        }
        finally
        {
            body.Dispose();
        }

        error ??= new ODataError(Describe(message, text));
        error.ResponseStatusCode = (int)message.StatusCode;
        error.ResponseHeaders = Headers(message);
        error.ResponseBody ??= text;
        return error;
    }

    /// <summary>An answer's headers and content headers, by case-insensitive name, as Kiota's exceptions carry them.</summary>
    public static Dictionary<string, IEnumerable<string>> Headers(HttpResponseMessage message)
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message.Headers)
        {
            headers[header.Key] = header.Value;
        }

        foreach (var header in PooledContent.HeadersOf(message.Content))
        {
            headers[header.Key] = header.Value;
        }

        return headers;
    }

    private static ODataError? TryReadODataError(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonBody.Parse(body, out var careful);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var error = JsonBody.Root(document.RootElement, careful).GetObjectValue(ODataError.CreateFromDiscriminatorValue);
            return error.Error is null ? null : error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpResponseMessage message, string? text)
    {
        var reason = message.ReasonPhrase ?? message.StatusCode.ToString();
        var kind = PooledContent.HeadersOf(message.Content).ContentType?.MediaType;
        var body = text is null ? " with no body" : kind is null ? " with a body that is not an OData error" : $" with a {kind} body that is not an OData error";
        return string.Create(CultureInfo.InvariantCulture, $"The service returned HTTP {(int)message.StatusCode} ({reason}){body}.");
    }
}
