using System.Net;
using DeviceCommands.Client.Http;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// Follows 301, 302, 303, 307 and 308 (up to <see cref="MaxRedirects"/>), dropping <c>Authorization</c> and cookies as
/// soon as a redirect leaves the original scheme, host or port (so a token never follows to another host or down to
/// http). 303, and 301/302 after a POST, continue as GET without a body, as browsers and HttpClient do.
/// </summary>
/// <remarks>
/// It sits outside the retry layer: each hop is a request of its own, retried by its own method's rules, so a GET that
/// follows a POST may be retried, and the POST before it is never sent again.
/// </remarks>
internal sealed class SafeRedirectHandler : DelegatingHandler
{
    public const int MaxRedirects = 5;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sending = base.SendAsync(request, cancellationToken);
        return sending.IsCompletedSuccessfully && !IsRedirect(sending.Result.StatusCode) ? sending : FollowAsync(request, sending, cancellationToken);
    }

    private async Task<HttpResponseMessage> FollowAsync(HttpRequestMessage request, Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        var original = request.RequestUri!;
        for (var redirects = 0; redirects < MaxRedirects && IsRedirect(response.StatusCode) && response.Headers.Location is { } location; redirects++)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            {
                break;
            }

            var next = new HttpRequestMessage(request.Method, target) { Version = request.Version, VersionPolicy = request.VersionPolicy };
            var keepsBody = response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
            if (!keepsBody && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
            {
                next.Method = HttpMethod.Get;
            }

            foreach (var header in request.Headers.NonValidated)
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            foreach (var option in request.Options)
            {
                ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
            }

            if (keepsBody && request.Content is not null)
            {
                next.Content = request.Content;
            }

            if (!RequestUrl.SameOrigin(original, target))
            {
                next.Headers.Remove("Authorization");
                next.Headers.Remove("Cookie");
            }

            response.Dispose();
            request = next;
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
