namespace DeviceCommands.Emulator;

/// <summary>A request the emulator received, as <see cref="DeviceCommandsEmulator.GetRequests"/> keeps it.</summary>
/// <param name="Method">The method, e.g. <c>GET</c>.</param>
/// <param name="Path">The request target as received: path and query, percent-encoding untouched, e.g. <c>/beta/me/devices</c>.</param>
/// <param name="Headers">
/// The headers by name (case-insensitive; repeated headers joined with <c>", "</c>). The credentials of
/// <c>Authorization</c> and <c>Proxy-Authorization</c> are masked: <c>Bearer ***</c>.
/// </param>
/// <param name="Body">The body as UTF-8 text (bytes that are not UTF-8 read as U+FFFD); empty when there was none or it was not read.</param>
/// <param name="ReceivedAt">When it arrived, by the emulator's <see cref="EmulatorOptions.TimeProvider"/>.</param>
/// <param name="StatusCode">The status answered; null when no answer was sent (the client went away, or the emulator stopped).</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt,
    int? StatusCode);

/// <summary>The last requests received, bounded: the oldest is forgotten first. Thread-safe.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _requests = new();

    public bool Enabled => capacity > 0;

    public void Add(RecordedRequest request)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            _requests.Enqueue(request);
            while (_requests.Count > capacity)
            {
                _requests.Dequeue();
            }
        }
    }

    public RecordedRequest[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    /// <summary>The headers of a request as recorded: joined values, credentials masked.</summary>
    public static IReadOnlyDictionary<string, string> Headers(IHeaderDictionary headers)
    {
        Dictionary<string, string> recorded = new(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in headers)
        {
            string value = values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", values.ToArray());
            recorded[name] = IsCredential(name) ? Mask(value) : value;
        }

        return recorded;
    }

    private static bool IsCredential(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Bearer eyJ…</c> becomes <c>Bearer ***</c>; a value with no scheme becomes <c>***</c>.</summary>
    private static string Mask(string value)
    {
        string trimmed = value.Trim();
        int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? trimmed[..space] + " ***" : "***";
    }
}
