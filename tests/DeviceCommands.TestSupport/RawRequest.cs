using System.Diagnostics;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>One request as <see cref="RawHttpServer"/> read it off the socket.</summary>
public sealed class RawRequest
{
    internal RawRequest(
        int index, int connection, string method, string target, string version,
        IReadOnlyList<(string Name, string Value)> headers, byte[] body, long timestamp, TimeSpan receivedAt)
    {
        Index = index;
        Connection = connection;
        Method = method;
        Target = target;
        Version = version;
        HeaderList = headers;
        Headers = headers.ToLookup(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        Body = body;
        Timestamp = timestamp;
        ReceivedAt = receivedAt;
    }

    /// <summary>0 for the server's first request, 1 for the next, ... (the order of <see cref="RawHttpServer.Requests"/>).</summary>
    public int Index { get; }

    /// <summary>The TCP connection it came on: 1 for the first accepted, 2 for the next, ...</summary>
    public int Connection { get; }

    /// <summary>The method as sent (<c>GET</c>, <c>POST</c>, ...).</summary>
    public string Method { get; }

    /// <summary>The request target exactly as sent, e.g. <c>/beta/me/devices?$top=5</c>.</summary>
    public string Target { get; }

    /// <summary>The protocol version as sent, e.g. <c>HTTP/1.1</c>.</summary>
    public string Version { get; }

    /// <summary>The headers in the order sent, raw values (trimmed of surrounding spaces; folded lines joined by one space).</summary>
    public IReadOnlyList<(string Name, string Value)> HeaderList { get; }

    /// <summary>The headers as a case-insensitive multi-map: <c>Headers["Authorization"]</c> is empty when absent.</summary>
    public ILookup<string, string> Headers { get; }

    /// <summary>The body, de-chunked; empty when there was none.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>When the request was fully read, as a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public long Timestamp { get; }

    /// <summary>When the request was fully read, since the server started.</summary>
    public TimeSpan ReceivedAt { get; }

    /// <summary>The first value of a header, or null when it was not sent.</summary>
    public string? Header(string name) => Headers[name].FirstOrDefault();

    /// <inheritdoc/>
    public override string ToString() => $"#{Index} (connection {Connection}) {Method} {Target}";
}
