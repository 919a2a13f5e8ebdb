using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The last handler before the network, so what it checks holds whatever put a header on a request (the token
/// provider, a redirect, a caller's request configuration): a request with a control character in a header value
/// (CR, LF, NUL, …: a header injection) is refused before a byte is sent, and the <c>Authorization</c> header is removed
/// from any request <see cref="TokenRule.MayCarryToken"/> refuses (a <c>WithUrl</c> to another host, a redirect, an
/// http downgrade), so a token never leaves for a host it does not belong to.
/// </summary>
internal sealed class RequestGuardHandler(Uri baseUrl) : DelegatingHandler
{
    private const string AuthorizationHeader = "Authorization";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // NonValidated: the values as they would be written, without parsing them (parsing hides a bad value)
        Refuse(request.Headers.NonValidated);
        if (request.Content is { } content)
        {
            Refuse(content.Headers.NonValidated);
        }

        if (request.Headers.NonValidated.Contains(AuthorizationHeader) && !TokenRule.MayCarryToken(baseUrl, request.RequestUri))
        {
            request.Headers.Remove(AuthorizationHeader);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static void Refuse(HttpHeadersNonValidated headers)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (HasControlCharacter(value))
                {
                    throw new ApiException(string.Equals(name, AuthorizationHeader, StringComparison.OrdinalIgnoreCase)
                        ? "The access token from the credential holds a control character (CR, LF or another), so the request was not sent."
                        : $"The request's {name} header holds a control character (CR, LF or another), so the request was not sent.");
                }
            }
        }
    }

    /// <summary>Any C0 control character but the horizontal tab, or DEL: what RFC 9110 does not allow in a field value.</summary>
    private static bool HasControlCharacter(string value) =>
        value.AsSpan().IndexOfAnyInRange('\0', '\x08') >= 0 || value.AsSpan().IndexOfAnyInRange('\x0A', '\x1F') >= 0 || value.Contains('\x7F', StringComparison.Ordinal);
}
