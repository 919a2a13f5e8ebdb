using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The last handler before the network, so what it checks holds whatever put a header on a request (the token
/// provider, a redirect, a caller's request configuration): a request with a control or non-ASCII character in a header
/// value (CR, LF, NUL, NEL, …: a header injection) is refused before a byte is sent, and the <c>Authorization</c> header is removed
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
            var isToken = string.Equals(name, AuthorizationHeader, StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                if (!IsSendable(value, allowTab: !isToken))
                {
                    throw new ApiException(isToken
                        ? "The access token from the credential holds a control character or a non-ASCII one (CR, LF, TAB, NEL, …), so the request was not sent."
                        : $"The request's {name} header holds a control character or a non-ASCII one (CR, LF, NUL, …), so the request was not sent.");
                }
            }
        }
    }

    /// <summary>
    /// Whether a header value can be sent as it is: visible ASCII and spaces, and horizontal tabs where RFC 9110 allows
    /// them (never in a token). Anything else (C0 and C1 controls, DEL, non-ASCII, which HttpClient would refuse
    /// later with an error that looks like the network's) is refused here.
    /// </summary>
    private static bool IsSendable(string value, bool allowTab)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' && !(allowTab && c == '\t'))
            {
                return false;
            }
        }

        return true;
    }
}
