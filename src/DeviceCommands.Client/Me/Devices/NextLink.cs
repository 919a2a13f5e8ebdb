using DeviceCommands.Client.Http;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices;

/// <summary>
/// Which <c>@odata.nextLink</c> a listing may follow: an absolute http(s) URL on the client's own scheme, host and
/// port, under its base path. Graph's next links are always absolute and under the same version path, so anything
/// else is refused before a request (and a token) goes to it.
/// </summary>
internal static class NextLink
{
    /// <summary>The next page's URL as pages are compared; an <see cref="ApiException"/> for a link the client will not follow.</summary>
    /// <param name="link">The link as the service gave it.</param>
    /// <param name="origin">The client's base URL, or null for a mock's builder (which has none).</param>
    public static string Resolve(string link, Uri? origin)
    {
        // on Unix "/x" and "//host/x" parse as absolute file: URIs, so the scheme check also refuses relative links
        if (!Uri.TryCreate(link, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            throw new ApiException($"The service's next link {Quote(link)} is not an absolute http(s) URL (Graph's always are), so the listing stops and nothing was sent to it.");
        }

        if (origin is null)
        {
            return target.OriginalString;
        }

        if (!RequestUrl.SameOrigin(origin, target))
        {
            throw new ApiException($"The service's next link {Quote(link)} leaves the client's host ({target.Scheme}://{target.Authority} is not {origin.Scheme}://{origin.Authority}), so it was not followed and no token was sent there.");
        }

        var basePath = origin.AbsolutePath.TrimEnd('/');
        var path = target.AbsolutePath;
        if (basePath.Length > 0 && !(path.Equals(basePath, StringComparison.OrdinalIgnoreCase) || path.StartsWith(basePath + "/", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiException($"The service's next link {Quote(link)} is outside the client's base path '{basePath}' (Graph's next links always stay under it), so it was not followed.");
        }

        return Comparable(target);
    }

    /// <summary>A URL as pages are compared: absolute, normalized by <see cref="Uri"/>, without a fragment (which is never sent).</summary>
    public static string Comparable(Uri uri) => uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    /// <summary>The link as a message quotes it (<see cref="ErrorText.Quote"/>), in quotes.</summary>
    private static string Quote(string link) => $"'{ErrorText.Quote(link)}'";
}
