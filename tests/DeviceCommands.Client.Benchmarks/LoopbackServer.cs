using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// A tiny HTTP/1.1 server on <c>127.0.0.1</c> and a free port for the <c>coldstart</c> report: answers every request
/// <c>200</c> with one fixed body and <c>Content-Type: application/json</c>, keeps connections alive, and counts the
/// request lines it served (so the report can show that every contender sent the same request).
/// Not TestSupport's <c>RawHttpServer</c> on purpose: that one parses, records and matches each request, time that
/// would land in the children's measured cold start; this one writes one prepared answer.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _requestLines = new(StringComparer.Ordinal);
    private readonly byte[] _response;
    private readonly Task _accepting;
    private int _requests;

    public LoopbackServer(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\nConnection: keep-alive\r\n\r\n");
        _response = [.. head, .. body];
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Each distinct request line (<c>GET /path HTTP/1.1</c>) with how often it was served.</summary>
    public IReadOnlyDictionary<string, int> RequestLines => _requestLines;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    /// <summary>One connection: read a request head (and any <c>Content-Length</c> body), answer, until the client closes.</summary>
    private async Task ServeAsync(Socket socket)
    {
        using var connection = socket;
        socket.NoDelay = true;
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        return; // a head this large is not one of ours
                    }

                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var consumed = end + HeaderEnd.Length + ContentLength(head);
                if (consumed > filled)
                {
                    // a request body past what was read (none of the contenders sends one): read it and drop it
                    var remaining = consumed - filled;
                    (filled, consumed) = (0, 0);
                    while (remaining > 0)
                    {
                        var read = await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        remaining -= read;
                    }
                }

                var lineEnd = head.IndexOf('\r', StringComparison.Ordinal);
                _requestLines.AddOrUpdate(lineEnd < 0 ? head : head[..lineEnd], 1, (_, n) => n + 1);
                Interlocked.Increment(ref _requests);
                await socket.SendAsync(_response, SocketFlags.None, _stop.Token);

                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the client went away, or the server stops
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan(colon + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
