namespace DeviceCommands.TestSupport;

/// <summary>A request as a <see cref="RequestMatcher"/> sees it, the same whichever fake received it.</summary>
/// <param name="Method">The method as sent, e.g. <c>GET</c>.</param>
/// <param name="Path">The path without the query, e.g. <c>/beta/me/devices</c>.</param>
/// <param name="Query">The query without the <c>?</c>; empty when none.</param>
/// <param name="Headers">The request's (and its content's) headers, in order.</param>
/// <param name="Body">The body text; empty when none.</param>
public sealed record StepRequest(string Method, string Path, string Query, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    /// <summary>The unescaped values of the query parameter <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> QueryValues(string name) =>
        Query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => Uri.UnescapeDataString(pair[0]) == name)
            .Select(pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "");

    /// <summary>The first value of a header (case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    internal static StepRequest From(RawRequest request)
    {
        int q = request.Target.IndexOf('?', StringComparison.Ordinal);
        return new(request.Method, q < 0 ? request.Target : request.Target[..q], q < 0 ? "" : request.Target[(q + 1)..], request.HeaderList, request.BodyText);
    }

    internal static StepRequest From(HttpRequestMessage request, string? body)
    {
        Uri uri = request.RequestUri ?? new Uri("/", UriKind.Relative);
        string path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        string query = uri.IsAbsoluteUri ? uri.Query.TrimStart('?') : "";
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers = request.Content is null ? request.Headers : request.Headers.Concat(request.Content.Headers);
        return new(request.Method.Method, path, query, [.. headers.SelectMany(h => h.Value.Select(v => (h.Key, v)))], body ?? "");
    }
}
