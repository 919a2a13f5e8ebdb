using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>An HTTP/1.1 answer read off a raw socket.</summary>
/// <param name="StatusCode">The status of the status line.</param>
/// <param name="Headers">The headers, in order.</param>
/// <param name="Body">The body (de-chunked).</param>
public sealed record RawResponse(int StatusCode, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The first value of a header, or null.</summary>
    /// <param name="name">The header's name (any case).</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A loopback HTTP/1.1 client on a raw socket, for what <see cref="HttpClient"/> refuses to send: any bytes at all,
/// malformed or hostile requests, bodies trickled byte by byte or never finished, wrong framing. It reads one answer
/// (Content-Length, chunked, or up to the close), skipping <c>100 Continue</c>.
/// </summary>
public sealed class RawHttpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RawHttpClient(TcpClient tcp, Uri baseUrl)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Host = $"{baseUrl.Host}:{baseUrl.Port}";
    }

    /// <summary>The <c>Host</c> header value of the server, <c>127.0.0.1:port</c>.</summary>
    public string Host { get; }

    /// <summary>Connects to the host and port of <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">The server; only its host and port are used.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected client.</returns>
    public static async Task<RawHttpClient> ConnectAsync(Uri baseUrl, CancellationToken cancellationToken = default)
    {
        TcpClient tcp = new() { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        return new RawHttpClient(tcp, baseUrl);
    }

    /// <summary>Connects, sends <paramref name="request"/> whole, reads the answer, closes.</summary>
    /// <param name="baseUrl">The server.</param>
    /// <param name="request">The bytes to send.</param>
    /// <param name="timeout">How long to wait for the answer (real time).</param>
    /// <returns>The answer; null when the server closed the connection without one.</returns>
    public static async Task<RawResponse?> ExchangeAsync(Uri baseUrl, byte[] request, TimeSpan timeout)
    {
        await using RawHttpClient client = await ConnectAsync(baseUrl).ConfigureAwait(false);
        await client.SendAsync(request).ConfigureAwait(false);
        return await client.ReadResponseAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// A request's bytes: request line, <c>Host</c>, the given headers, a <c>Content-Length</c> of the body unless the
    /// headers name one or <c>Transfer-Encoding</c>, and the body as it is.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="target">The request target, e.g. <c>/beta/me/devices</c>.</param>
    /// <param name="host">The <c>Host</c> value.</param>
    /// <param name="body">The body bytes (sent as given).</param>
    /// <param name="headers">Extra headers, <c>"Name: value"</c>.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Request(string method, string target, string host, ReadOnlySpan<byte> body, params string[] headers)
    {
        StringBuilder head = new();
        head.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: {host}\r\n");
        foreach (string header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        bool framed = headers.Any(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) || h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase));
        if (!framed && (body.Length > 0 || method is "POST" or "PUT" or "PATCH"))
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return [.. headBytes, .. body];
    }

    /// <summary>A body in chunked transfer-coding: one chunk per piece, then the last chunk.</summary>
    /// <param name="pieces">The chunks' data.</param>
    /// <returns>The framed bytes.</returns>
    public static byte[] Chunked(params byte[][] pieces)
    {
        List<byte> framed = [];
        foreach (byte[] piece in pieces)
        {
            framed.AddRange(Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            framed.AddRange(piece);
            framed.AddRange("\r\n"u8.ToArray());
        }

        framed.AddRange("0\r\n\r\n"u8.ToArray());
        return [.. framed];
    }

    /// <summary>Sends bytes.</summary>
    /// <param name="bytes">What to send.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once sent.</returns>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends bytes a few at a time, pausing between pieces (real time): a slow client.</summary>
    /// <param name="bytes">What to send.</param>
    /// <param name="pieceSize">Bytes per piece.</param>
    /// <param name="pause">The pause after each piece.</param>
    /// <param name="cancellationToken">Stops sending.</param>
    /// <returns>A task that completes once everything was sent, or the server closed the connection.</returns>
    public async Task TrickleAsync(ReadOnlyMemory<byte> bytes, int pieceSize, TimeSpan pause, CancellationToken cancellationToken = default)
    {
        for (int offset = 0; offset < bytes.Length; offset += pieceSize)
        {
            try
            {
                await SendAsync(bytes.Slice(offset, Math.Min(pieceSize, bytes.Length - offset)), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return; // the server closed the connection
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one answer (skipping <c>100 Continue</c>).</summary>
    /// <param name="timeout">How long to wait for it (real time).</param>
    /// <returns>The answer; null when the server closed (or reset) the connection without one.</returns>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    public async Task<RawResponse?> ReadResponseAsync(TimeSpan timeout)
    {
        using CancellationTokenSource deadline = new(timeout);
        try
        {
            while (true)
            {
                RawResponse? response = await ReadOneAsync(deadline.Token).ConfigureAwait(false);
                if (response is not { StatusCode: 100 })
                {
                    return response;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {timeout}.");
        }
        catch (IOException)
        {
            return null; // reset
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<RawResponse?> ReadOneAsync(CancellationToken cancellationToken)
    {
        string? statusLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (statusLine is null)
        {
            return null;
        }

        string[] parts = statusLine.Split(' ', 3);
        int status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        List<(string, string)> headers = [];
        string? line;
        while ((line = await ReadLineAsync(cancellationToken).ConfigureAwait(false)) is { Length: > 0 })
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        string? Find(string name) => headers.FirstOrDefault(h => h.Item1.Equals(name, StringComparison.OrdinalIgnoreCase)).Item2;
        byte[] body;
        if (status is 100 or 204 or 304)
        {
            body = [];
        }
        else if (Find("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            List<byte> data = [];
            while (true)
            {
                string size = (await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "0").Split(';')[0];
                int length = int.Parse(size, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (length == 0)
                {
                    while ((line = await ReadLineAsync(cancellationToken).ConfigureAwait(false)) is { Length: > 0 })
                    {
                    }

                    break;
                }

                data.AddRange(await ReadExactlyAsync(length, cancellationToken).ConfigureAwait(false));
                await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }

            body = [.. data];
        }
        else if (Find("Content-Length") is { } length)
        {
            body = await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            List<byte> rest = [];
            while (await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                rest.AddRange(_buffer.AsSpan(_start, _end - _start).ToArray());
                _start = _end;
            }

            body = [.. rest];
        }

        return new RawResponse(status, headers, body);
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.Latin1.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        byte[] result = new byte[count];
        int copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("The connection closed in the middle of a body.");
            }

            int take = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    /// <summary>Reads more bytes into the buffer; false at the end of the stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }
}
