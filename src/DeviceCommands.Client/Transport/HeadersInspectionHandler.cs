using System.Net.Http.Headers;
using DeviceCommands.Client.Http;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// Honours a Kiota <see cref="HeadersInspectionHandlerOption"/> on a request, as Kiota's own HeadersInspectionHandler
/// does: with <see cref="HeadersInspectionHandlerOption.InspectRequestHeaders"/>, the headers of the request as sent
/// (those of <c>HttpClient</c> and the client's handlers included, the <c>Authorization</c> header too, as in Kiota);
/// with <see cref="HeadersInspectionHandlerOption.InspectResponseHeaders"/>, those of the answer, content headers
/// included. It runs inside the retry layer, once per attempt, and each attempt starts afresh, so what the option
/// holds in the end is the last attempt's request and answer, never a header of an attempt that was sent again.
/// </summary>
internal sealed class HeadersInspectionHandler : DelegatingHandler
{
    /// <summary>The request option that says this handler filled the option's response headers (the reader then does not copy them again).</summary>
    public const string InspectedKey = Requests.ResponseHeadersMark.Key;

    private static readonly object Inspected = true;

    // a request without the option passes straight on, with no async state of its own
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ClientRequestMessage.OptionOf<HeadersInspectionHandlerOption>(request) is { } option
            ? InspectAsync(request, option, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> InspectAsync(HttpRequestMessage request, HeadersInspectionHandlerOption option, CancellationToken cancellationToken)
    {
        option.ResponseHeaders.Clear();
        if (option.InspectRequestHeaders)
        {
            option.RequestHeaders.Clear();
            Copy(request.Headers, option);
            if (request.Content is { } content)
            {
                Copy(content.Headers, option);
            }
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (option.InspectResponseHeaders)
        {
            foreach (var (name, values) in response.Headers.NonValidated)
            {
                option.ResponseHeaders.Add(name, ToArray(values));
            }

            foreach (var (name, values) in response.Content.Headers.NonValidated)
            {
                option.ResponseHeaders.Add(name, ToArray(values));
            }

            ((IDictionary<string, object?>)request.Options)[InspectedKey] = Inspected;
        }

        return response;
    }

    private static void Copy(HttpHeaders headers, HeadersInspectionHandlerOption option)
    {
        // NonValidated: the values as they are written, without parsing (a value the guard will refuse is shown as it is)
        foreach (var (name, values) in headers.NonValidated)
        {
            option.RequestHeaders.Add(name, ToArray(values));
        }
    }

    /// <summary>The values as an array, without LINQ's boxing of the struct enumerable.</summary>
    private static string[] ToArray(HeaderStringValues values)
    {
        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return array;
    }
}
