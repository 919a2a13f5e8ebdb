using System.Globalization;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>A request that cannot be read: answered 400 and the connection closed.</summary>
internal sealed class BadRequestException(string reason) : Exception(reason);

/// <summary>A request's parts, before the server numbers and times it.</summary>
internal sealed record ParsedRequest(string Method, string Target, string Version, List<(string Name, string Value)> Headers, byte[] Body)
{
    public bool WantsClose
    {
        get
        {
            bool close = false, keepAlive = false;
            foreach ((string name, string value) in Headers)
            {
                if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (string token in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    close |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                    keepAlive |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
                }
            }

            return close || (Version == "HTTP/1.0" && !keepAlive);
        }
    }
}

/// <summary>
/// Reads HTTP/1.1 requests off one connection: request line, headers (obs-fold and bare LF tolerated), and a body by
/// Content-Length or chunked transfer-coding. Bytes past a request stay buffered for the next one (keep-alive).
/// </summary>
internal sealed class RequestReader(Stream stream, int maxRequestBytes)
{
    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private readonly Stream _stream = stream;
    private readonly int _max = maxRequestBytes;
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;
    private int _used; // bytes of the current request consumed so far

    private int Buffered => _end - _start;

    /// <summary>The next request; null when the peer closed cleanly between requests.</summary>
    /// <exception cref="BadRequestException">Malformed, or larger than the limit.</exception>
    public async Task<ParsedRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        _used = 0;
        byte[]? head = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        (string method, string target, string version, List<(string, string)> headers) = ParseHead(head);
        byte[] body = await ReadBodyAsync(headers, cancellationToken).ConfigureAwait(false);
        return new ParsedRequest(method, target, version, headers, body);
    }

    private async Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        int scanned = 0;
        while (true)
        {
            // Empty lines before a request line are ignored (RFC 9112 section 2.2).
            while (scanned == 0 && Buffered > 0 && (_buffer[_start] == '\r' || _buffer[_start] == '\n'))
            {
                Consume(1);
            }

            ReadOnlySpan<byte> data = _buffer.AsSpan(_start, Buffered);
            for (int i = Math.Max(0, scanned - 2); i < data.Length; i++)
            {
                if (data[i] != '\n')
                {
                    continue;
                }

                int next = i + 1;
                if (next < data.Length && data[next] == '\r')
                {
                    next++;
                }

                if (next < data.Length && data[next] == '\n')
                {
                    byte[] head = data[..i].ToArray();
                    Consume(next + 1);
                    return head;
                }
            }

            scanned = data.Length;
            if (scanned > _max)
            {
                throw new BadRequestException($"The request head is over {_max} bytes.");
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (scanned == 0)
                {
                    return null;
                }

                throw new BadRequestException("The connection ended inside the request head.");
            }
        }
    }

    private static (string Method, string Target, string Version, List<(string Name, string Value)> Headers) ParseHead(byte[] head)
    {
        string[] lines = Encoding.Latin1.GetString(head).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        string[] parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !IsToken(parts[0]) || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new BadRequestException("Malformed request line.");
        }

        var headers = new List<(string Name, string Value)>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (headers.Count == 0)
                {
                    throw new BadRequestException("A continuation line before any header.");
                }

                (string name, string value) = headers[^1];
                headers[^1] = (name, (value + " " + line.Trim(' ', '\t')).Trim(' ', '\t'));
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                throw new BadRequestException("Malformed header line.");
            }

            headers.Add((line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        return (parts[0], parts[1], parts[2], headers);
    }

    private async Task<byte[]> ReadBodyAsync(List<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        string? transferEncoding = null;
        string? contentLength = null;
        bool expectContinue = false;
        foreach ((string name, string value) in headers)
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = transferEncoding is null ? value : transferEncoding + "," + value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (contentLength is not null && contentLength != value)
                {
                    throw new BadRequestException("Conflicting Content-Length headers.");
                }

                contentLength = value;
            }
            else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                expectContinue = value.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
            }
        }

        bool chunked = false;
        if (transferEncoding is not null)
        {
            string last = transferEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            if (!last.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new BadRequestException("A request Transfer-Encoding must end with chunked.");
            }

            chunked = true;
        }

        long length = 0;
        if (!chunked && contentLength is not null
            && (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
        {
            throw new BadRequestException("Invalid Content-Length.");
        }

        if (length > _max - _used)
        {
            throw new BadRequestException($"The request is over {_max} bytes.");
        }

        if (expectContinue && (chunked || length > 0) && Buffered == 0)
        {
            await _stream.WriteAsync(Continue, cancellationToken).ConfigureAwait(false);
        }

        return chunked ? await ReadChunkedAsync(cancellationToken).ConfigureAwait(false) : await TakeAsync((int)length, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            int semicolon = line.IndexOf(';', StringComparison.Ordinal);
            string sizeText = (semicolon >= 0 ? line[..semicolon] : line).Trim(' ', '\t');
            if (sizeText.Length == 0 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
            {
                throw new BadRequestException("Invalid chunk size.");
            }

            if (size > _max - _used)
            {
                throw new BadRequestException($"The request is over {_max} bytes.");
            }

            if (size == 0)
            {
                // Trailers, up to the empty line; read and dropped.
                while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                return body.ToArray();
            }

            byte[] chunk = await TakeAsync((int)size, cancellationToken).ConfigureAwait(false);
            body.Write(chunk);
            if ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length != 0)
            {
                throw new BadRequestException("A chunk is longer than its size.");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int scanned = 0;
        while (true)
        {
            int lf = _buffer.AsSpan(_start + scanned, Buffered - scanned).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                int length = scanned + lf;
                string line = Encoding.Latin1.GetString(_buffer, _start, length).TrimEnd('\r');
                Consume(length + 1);
                return line;
            }

            scanned = Buffered;
            if (_used + scanned > _max)
            {
                throw new BadRequestException($"The request is over {_max} bytes.");
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new BadRequestException("The connection ended inside a chunked body.");
            }
        }
    }

    private async Task<byte[]> TakeAsync(int count, CancellationToken cancellationToken)
    {
        while (Buffered < count)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new BadRequestException("The connection ended inside the body.");
            }
        }

        byte[] bytes = _buffer.AsSpan(_start, count).ToArray();
        Consume(count);
        return bytes;
    }

    private void Consume(int count)
    {
        _start += count;
        _used += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    private static bool IsToken(string text)
    {
        foreach (char c in text)
        {
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
