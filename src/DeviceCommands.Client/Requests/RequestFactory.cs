using DeviceCommands.Client.Http;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Requests;

/// <summary>Builds <see cref="RequestInformation"/> for the request builders, and checks the ids they are given.</summary>
internal static class RequestFactory
{
    /// <summary>The template variable of a device's id.</summary>
    public const string DeviceIdKey = RequestUrl.DeviceIdKey;

    /// <summary>The template variable of a command's id.</summary>
    public const string CommandIdKey = RequestUrl.CommandIdKey;

    /// <summary>
    /// An empty dictionary for Kiota's base class to copy (it copies what it is given), for builders that hold their
    /// parameters as fields, and an empty parent for <see cref="BuilderPath"/>. Never written to.
    /// </summary>
    public static readonly Dictionary<string, object> NoParameters = [];

    /// <summary>The longest id accepted, in characters once percent-encoded (a URI holds at most 65,519).</summary>
    private const int MaxEncodedIdLength = 16 * 1024;

    /// <summary>
    /// Checks an id before it goes into a path: any non-empty string is allowed (ids are opaque); null, empty,
    /// white space and ids that cannot be sent in a URL throw <see cref="ArgumentException"/> before anything is sent.
    /// </summary>
    public static string RequireId(string? id, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        return WhyNotSendable(id) is { } reason ? throw new ArgumentException(reason, paramName) : id;
    }

    /// <summary>Why an id cannot be sent back in a URL, or null when it can (it is also neither empty nor white space).</summary>
    public static string? WhyNotSendable(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "The id is null, empty or white space.";
        }

        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsHighSurrogate(id[i]) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(id[i]))
            {
                return "The id has a lone UTF-16 surrogate, so it has no UTF-8 form to send in a URL.";
            }
        }

        return id.Length > MaxEncodedIdLength || Uri.EscapeDataString(id).Length > MaxEncodedIdLength
            ? $"The id is too long to be sent in a URL (more than {MaxEncodedIdLength} characters once encoded)."
            : null;
    }

    /// <summary>
    /// A request for a URL template, with its own copy of the path parameters: Kiota's <see cref="RequestInformation"/>
    /// would share the builder's dictionary, which adapters write to (the base URL), so two requests from one builder on
    /// two threads would write to one dictionary at once, and a change to one request would change the builder.
    /// The copy is the request's own (empty) dictionary, filled, rather than a second one handed to it.
    /// An id that is exactly <c>.</c> or <c>..</c> gets its URI at once (see <see cref="RequestUrl"/>). A builder made
    /// for mocking (its adapter is <see cref="MockingAdapter"/>) gets <see cref="NotSupportedException"/>.
    /// </summary>
    public static RequestInformation Create(IRequestAdapter adapter, Method method, string urlTemplate, Dictionary<string, object> pathParameters)
    {
        var request = Start(adapter, method, urlTemplate);
        foreach (var (key, value) in pathParameters)
        {
            request.PathParameters[key] = value;
        }

        return Finish(request);
    }

    /// <summary>
    /// As <see cref="Create(IRequestAdapter, Method, string, Dictionary{string, object})"/>, for a builder that holds its ids as fields (see <see cref="BuilderPath"/>): the
    /// parameters it inherited, then its ids, go straight into the request's own dictionary.
    /// </summary>
    public static RequestInformation Create(IRequestAdapter adapter, Method method, string urlTemplate, in BuilderPath path)
    {
        var request = Start(adapter, method, urlTemplate);
        var parameters = request.PathParameters;
        foreach (var (key, value) in path.Inherited)
        {
            parameters[key] = value;
        }

        if (path.DeviceId is not null)
        {
            parameters[DeviceIdKey] = path.DeviceId;
        }

        if (path.CommandId is not null)
        {
            parameters[CommandIdKey] = path.CommandId;
        }

        return Finish(request);
    }

    /// <summary>A request with no path parameters yet; fill them, then call <see cref="Finish"/>.</summary>
    public static RequestInformation Start(IRequestAdapter adapter, Method method, string urlTemplate)
    {
        MockingAdapter.ThrowIfPlaceholder(adapter);
        return new RequestInformation { HttpMethod = method, UrlTemplate = urlTemplate };
    }

    /// <summary>The request of <see cref="Start"/>, its path parameters filled: an id of <c>.</c> or <c>..</c> gets its URI at once.</summary>
    public static RequestInformation Finish(RequestInformation request)
    {
        RequestUrl.FixDotSegments(request);
        return request;
    }
}

/// <summary>
/// The path parameters of a builder made by an indexer, held as fields instead of a dictionary per builder: those of the
/// parent (shared, never written: no builder writes to its own parameters) and the ids below it. A request copies them
/// into its own dictionary (<see cref="RequestFactory.Create(IRequestAdapter, Method, string, in BuilderPath)"/>).
/// Plain read-only fields, not a record's properties: the first request reads each, and each property would be one
/// more method for the runtime to compile before it.
/// </summary>
internal readonly struct BuilderPath(Dictionary<string, object> inherited, string? deviceId, string? commandId)
{
    /// <summary>The parent's parameters (shared, never written); null in a default instance.</summary>
    public readonly Dictionary<string, object> Inherited = inherited;

    /// <summary>The device's id below the parent; null when there is none.</summary>
    public readonly string? DeviceId = deviceId;

    /// <summary>The command's id below the parent; null when there is none.</summary>
    public readonly string? CommandId = commandId;

    /// <summary>The value of one path parameter; null when there is none.</summary>
    public object? this[string key] =>
        key == RequestFactory.CommandIdKey && CommandId is not null ? CommandId
        : key == RequestFactory.DeviceIdKey && DeviceId is not null ? DeviceId
        : Inherited.TryGetValue(key, out var value) ? value : null;

    /// <summary>The parameters as one new dictionary, for a builder that takes a dictionary.</summary>
    public Dictionary<string, object> ToDictionary()
    {
        var parameters = new Dictionary<string, object>(Inherited);
        if (DeviceId is not null)
        {
            parameters[RequestFactory.DeviceIdKey] = DeviceId;
        }

        if (CommandId is not null)
        {
            parameters[RequestFactory.CommandIdKey] = CommandId;
        }

        return parameters;
    }
}
