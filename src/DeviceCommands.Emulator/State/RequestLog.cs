namespace DeviceCommands.Emulator.State;

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
