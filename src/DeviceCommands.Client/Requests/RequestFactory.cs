using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    /// <remarks>
    /// The request gets its own copy of the path parameters: Kiota's <see cref="RequestInformation"/> would share the
    /// builder's dictionary, which adapters write to (the base URL), so two requests from one builder on two threads
    /// would write to one dictionary at once, and a change to one request would change the builder.
    /// </remarks>
    public static RequestInformation Create(Method method, string urlTemplate, Dictionary<string, object> pathParameters)
    {
        var request = new RequestInformation(method, urlTemplate, new Dictionary<string, object>(pathParameters));
        if (!pathParameters.ContainsKey(RawUrlKey) && HasDotSegmentId(pathParameters)
            && Expand(urlTemplate, pathParameters, baseUrl: null) is { } uri)
        {
            request.URI = uri; // clears the request's own copy of the parameters, not the builder's
        }

        return request;
    }

    /// <summary>
    /// Fixes the request's URI just before it is sent, against the adapter's base URL, with a plain expansion of the
    /// package's simple templates (the same encoding as RFC 6570's simple expansion, at a fraction of the cost of
    /// Kiota's general template engine). Requests for a raw URL, or with a URI already set, are left as they are.
    /// </summary>
    public static void FixUri(RequestInformation request, string? baseUrl)
    {
        if (request.PathParameters.Count == 0 || request.PathParameters.ContainsKey(RawUrlKey) || request.QueryParameters.Count > 0)
        {
            return;
        }

        if (Expand(request.UrlTemplate, request.PathParameters, baseUrl) is { } uri)
        {
            request.URI = uri; // clears the request's own copy of the parameters, not the builder's
        }
    }

    /// <summary>
    /// The URL of a request sent without a <see cref="RequestInformation"/> (see <see cref="RequestSender.DirectUri"/>):
    /// the builder's template expanded against <paramref name="baseUrl"/>; null for a raw-URL builder or a template
    /// this expansion does not cover.
    /// </summary>
    public static Uri? DirectUri(string template, Dictionary<string, object> pathParameters, string baseUrl) =>
        pathParameters.ContainsKey(RawUrlKey) ? null : Expand(template, pathParameters, baseUrl);

    private const string RawUrlKey = "request-raw-url";

    /// <summary>
    /// Expands a template made only of literal text, <c>{+baseurl}</c> and simple <c>{name}</c> variables; null for
    /// anything else (Kiota's engine then does the work).
    /// </summary>
    private static Uri? Expand(string? template, IDictionary<string, object> parameters, string? baseUrl)
    {
        if (string.IsNullOrEmpty(template) || Parse(template) is not { } parts)
        {
            return null;
        }

        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        var dotSegment = false;
        foreach (var (literal, name) in parts)
        {
            if (name is null)
            {
                text.AppendLiteral(literal);
            }
            else if (name == BaseUrlKey)
            {
                var value = baseUrl ?? (parameters.TryGetValue(BaseUrlKey, out var b) ? b as string : null);
                if (string.IsNullOrEmpty(value))
                {
                    text.Clear();
                    return null;
                }

                text.AppendFormatted(value.AsSpan().TrimEnd('/'));
            }
            else if (!parameters.TryGetValue(name, out var raw) || raw is not string id)
            {
                text.Clear();
                return null;
            }
            else if (IsDotSegment(id))
            {
                text.AppendLiteral(id.Length == 1 ? "%2E" : "%2E%2E");
                dotSegment = true;
            }
            else
            {
                text.AppendLiteral(Uri.EscapeDataString(id));
            }
        }

        var options = new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = dotSegment };
        return Uri.TryCreate(text.ToStringAndClear(), in options, out var uri) && uri.IsAbsoluteUri ? uri : null;
    }

    private const string BaseUrlKey = "baseurl";

    /// <summary>The package's templates, parsed once: literal text and variable names in turn.</summary>
    private static readonly ConcurrentDictionary<string, (string Literal, string? Name)[]?> Templates = new(StringComparer.Ordinal);

    /// <summary>
    /// A template as literal parts and variables (<c>{+baseurl}</c> as <c>baseurl</c>); null for one with any other
    /// operator or an unclosed brace. Only a few templates are kept (the package has four; others are parsed each time).
    /// </summary>
    private static (string Literal, string? Name)[]? Parse(string template)
    {
        if (Templates.TryGetValue(template, out var parsed))
        {
            return parsed;
        }

        var parts = new List<(string, string?)>();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                parts.Add((template[i..], null));
                break;
            }

            if (open > i)
            {
                parts.Add((template[i..open], null));
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                return Remember(template, null);
            }

            var name = template[(open + 1)..close];
            if (name == "+" + BaseUrlKey)
            {
                parts.Add((string.Empty, BaseUrlKey));
            }
            else if (name.Length == 0 || name.AsSpan().IndexOfAny("+#./;?&=,!@|*:") >= 0)
            {
                return Remember(template, null);
            }
            else
            {
                parts.Add((string.Empty, name));
            }

            i = close + 1;
        }

        return Remember(template, [.. parts]);
    }

    private static (string Literal, string? Name)[]? Remember(string template, (string Literal, string? Name)[]? parts)
    {
        if (Templates.Count < 64)
        {
            Templates.TryAdd(template, parts);
        }

        return parts;
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
