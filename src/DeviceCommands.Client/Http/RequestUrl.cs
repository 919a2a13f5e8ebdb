using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Http;

/// <summary>
/// Expands the package's URL templates: literal text, <c>{+baseurl}</c> and simple <c>{name}</c> variables, each id
/// percent-encoded as one path segment (RFC 6570's simple expansion, at a fraction of the cost of Kiota's general
/// template engine). A template with any other operator is left to Kiota.
/// </summary>
internal static class RequestUrl
{
    private const string BaseUrlKey = "baseurl";

    /// <summary>The template variable of a device's id.</summary>
    public const string DeviceIdKey = "device%2Did";

    /// <summary>The template variable of a command's id.</summary>
    public const string CommandIdKey = "command%2Did";

    /// <summary>Kiota's path parameter for a request made from a raw URL (internal to Kiota: RequestInformation.RawUrlKey).</summary>
    private const string RawUrlKey = "request-raw-url";

    /// <summary>
    /// Fixes the request's URI just before it is sent, against the adapter's base URL. Requests for a raw URL, with a
    /// URI already set, or with query parameters are left as they are.
    /// </summary>
    public static void Fix(RequestInformation request, string? baseUrl)
    {
        if (request.PathParameters.Count == 0 || request.PathParameters.ContainsKey(RawUrlKey) || request.QueryParameters.Count > 0)
        {
            return;
        }

        if (Expand(request.UrlTemplate, request.PathParameters, baseUrl, stackalloc char[ExpandBuffer]) is { } uri)
        {
            request.URI = uri; // clears the request's own copy of the parameters, not the builder's
        }
    }

    /// <summary>
    /// Sets the URI at once of a request with an id that is exactly <c>.</c> or <c>..</c>: sent as <c>%2E</c> /
    /// <c>%2E%2E</c>, which <see cref="Uri"/> would otherwise read as a dot segment and remove, changing the path.
    /// </summary>
    public static void FixDotSegments(RequestInformation request)
    {
        // the request's own dictionary is enumerated by its struct enumerator (no boxing)
        if (request.PathParameters is Dictionary<string, object> parameters)
        {
            foreach (var pair in parameters)
            {
                if (IsDotSegment(pair))
                {
                    FixDotSegment(request);
                    return;
                }
            }

            return;
        }

        foreach (var pair in request.PathParameters)
        {
            if (IsDotSegment(pair))
            {
                FixDotSegment(request);
                return;
            }
        }
    }

    private static bool IsDotSegment(KeyValuePair<string, object> pair) => pair.Key != BaseUrlKey && pair.Value is string s && IsDotSegment(s);

    private static void FixDotSegment(RequestInformation request)
    {
        if (!request.PathParameters.ContainsKey(RawUrlKey) && Expand(request.UrlTemplate, request.PathParameters, baseUrl: null, stackalloc char[ExpandBuffer]) is { } uri)
        {
            request.URI = uri;
        }
    }

    /// <summary>The characters a URL is built in on the stack before it needs the pool.</summary>
    private const int ExpandBuffer = 256;

    /// <summary>The template expanded; null for a template this expansion does not cover, or a variable it lacks.</summary>
    /// <remarks>
    /// The caller gives the buffer (<paramref name="buffer"/>, on its stack): a method with both a loop and a
    /// <c>stackalloc</c> cannot start at tier 0, so the runtime would compile this one fully optimized on the first request.
    /// </remarks>
    private static Uri? Expand(string? template, IDictionary<string, object> parameters, string? baseUrl, Span<char> buffer)
    {
        if (string.IsNullOrEmpty(template))
        {
            return null;
        }

        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, buffer);
        var dotSegment = false;
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                text.AppendFormatted(template.AsSpan(i));
                break;
            }

            text.AppendFormatted(template.AsSpan(i, open - i));
            var close = template.IndexOf('}', open);
            var isBaseUrl = false;
            if (close < 0 || Value(template.AsSpan(open + 1, close - open - 1), parameters, baseUrl, ref isBaseUrl) is not { } value)
            {
                text.Clear();
                return null;
            }

            if (isBaseUrl)
            {
                text.AppendFormatted(value.AsSpan().TrimEnd('/'));
            }
            else if (IsDotSegment(value))
            {
                text.AppendLiteral(value.Length == 1 ? "%2E" : "%2E%2E");
                dotSegment = true;
            }
            else
            {
                text.AppendLiteral(Uri.EscapeDataString(value));
            }

            i = close + 1;
        }

        var options = new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = dotSegment };
        return Uri.TryCreate(text.ToStringAndClear(), in options, out var uri) && uri.IsAbsoluteUri ? uri : null;
    }

    /// <summary>
    /// The value of one template expression: <c>+baseurl</c> (then <paramref name="isBaseUrl"/> is set) or a simple
    /// variable holding a string; null for anything else. A string and a flag rather than a nullable tuple: a nullable
    /// of a value tuple is one more generic instantiation for the runtime to compile on the first request.
    /// </summary>
    private static string? Value(ReadOnlySpan<char> expression, IDictionary<string, object> parameters, string? baseUrl, ref bool isBaseUrl)
    {
        if (expression.SequenceEqual("+" + BaseUrlKey))
        {
            var value = baseUrl ?? (parameters.TryGetValue(BaseUrlKey, out var b) ? b as string : null);
            isBaseUrl = true;
            return string.IsNullOrEmpty(value) ? null : value;
        }

        if (expression.IsEmpty || expression.IndexOfAny("+#./;?&=,!@|*:") >= 0)
        {
            return null;
        }

        // the package's own variables are looked up by their constant names, so expanding them allocates no key
        var key = expression.SequenceEqual(DeviceIdKey) ? DeviceIdKey
            : expression.SequenceEqual(CommandIdKey) ? CommandIdKey
            : expression.ToString();
        return parameters.TryGetValue(key, out var raw) && raw is string id ? id : null;
    }

    /// <summary>Whether two URLs have the same scheme, host and port (a redirect between them keeps its headers; a next page between them is followed).</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

    private static bool IsDotSegment(string s) => s is "." or "..";
}
