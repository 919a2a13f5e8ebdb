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
    /// An id that is exactly <c>.</c> or <c>..</c> gets its URI at once (see <see cref="RequestUrl"/>). A builder made
    /// for mocking (its adapter is <see cref="MockingAdapter"/>) gets <see cref="NotSupportedException"/>.
    /// </summary>
    public static RequestInformation Create(IRequestAdapter adapter, Method method, string urlTemplate, Dictionary<string, object> pathParameters) =>
        CreateOwning(adapter, method, urlTemplate, new Dictionary<string, object>(pathParameters));

    /// <summary>As <see cref="Create"/>, for path parameters made for this one request (nothing else holds them, so they are not copied).</summary>
    public static RequestInformation CreateOwning(IRequestAdapter adapter, Method method, string urlTemplate, Dictionary<string, object> ownParameters)
    {
        MockingAdapter.ThrowIfPlaceholder(adapter);
        var request = new RequestInformation(method, urlTemplate, ownParameters);
        RequestUrl.FixDotSegments(request);
        return request;
    }
}
