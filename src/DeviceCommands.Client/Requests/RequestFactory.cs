using Microsoft.Kiota.Abstractions;


namespace DeviceCommands.Client.Requests;

/// <summary>Builds <see cref="RequestInformation"/> for the request builders, and checks the ids they are given.</summary>
internal static class RequestFactory
{
    /// <summary>The longest id accepted, in characters once percent-encoded (a URI holds at most 65,519).</summary>
    private const int MaxEncodedIdLength = 16 * 1024;

    /// <summary>
    /// Checks an id before it goes into a path: any non-empty string is allowed (ids are opaque); null, empty,
    /// white space and ids too long for a URI throw <see cref="ArgumentException"/> before anything is sent.
    /// </summary>
    public static string RequireId(string? id, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (HasLoneSurrogate(id))
        {
            throw new ArgumentException("The id has a lone UTF-16 surrogate, so it has no UTF-8 form to send in a URL.", paramName);
        }

        if (id.Length > MaxEncodedIdLength || Uri.EscapeDataString(id).Length > MaxEncodedIdLength)
        {
            throw new ArgumentException($"The id is too long to be sent in a URL (more than {MaxEncodedIdLength} characters once encoded).", paramName);
        }

        return id;
    }

    /// <summary>
    /// A request for a URL template. Ids are percent-encoded as one path segment by the template; an id that is
    /// exactly <c>.</c> or <c>..</c> is sent as <c>%2E</c> / <c>%2E%2E</c>, which <see cref="Uri"/> would otherwise
    /// read as a dot segment and remove, changing the path.
    /// </summary>
    public static RequestInformation Create(Method method, string urlTemplate, Dictionary<string, object> pathParameters)
    {
        var request = new RequestInformation(method, urlTemplate, pathParameters);
        if (pathParameters.ContainsKey("request-raw-url") || !HasDotSegmentId(pathParameters))
        {
            return request;
        }

        var marker = "dcdot" + Guid.NewGuid().ToString("N");
        var substitutions = new Dictionary<string, object>(pathParameters.Count, StringComparer.Ordinal);
        foreach (var pair in pathParameters)
        {
            substitutions[pair.Key] = pair.Value is string s && IsDotSegment(s) ? marker + s.Length : pair.Value;
        }

        var expanded = Std.UriTemplate.Expand(urlTemplate, substitutions!)
            .Replace(marker + "2", "%2E%2E", StringComparison.Ordinal)
            .Replace(marker + "1", "%2E", StringComparison.Ordinal);
        request.URI = new Uri(expanded, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return request;
    }

    private static bool HasDotSegmentId(Dictionary<string, object> pathParameters)
    {
        foreach (var pair in pathParameters)
        {
            if (pair.Key != "baseurl" && pair.Value is string s && IsDotSegment(s))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDotSegment(string s) => s is "." or "..";
}
