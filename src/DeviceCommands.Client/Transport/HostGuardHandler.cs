using System.Net.Http.Headers;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The last handler before the network: removes the <c>Authorization</c> header from any request that is not for
/// the base URL's own scheme, host and port (a <c>WithUrl</c> to another host, a redirect, an http downgrade), so a
/// token never leaves for a host it does not belong to, whatever put it on the request.
/// </summary>
internal sealed class HostGuardHandler(Uri baseUrl) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is not null && !BelongsToService(request.RequestUri))
        {
            request.Headers.Authorization = null;
        }

        return base.SendAsync(request, cancellationToken);
    }

    public bool BelongsToService(Uri? uri) =>
        uri is { IsAbsoluteUri: true }
        && string.Equals(uri.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == baseUrl.Port
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && baseUrl.Scheme == Uri.UriSchemeHttp));

    internal static void Strip(HttpRequestHeaders headers)
    {
        headers.Authorization = null;
        headers.Remove("Cookie");
    }
}
