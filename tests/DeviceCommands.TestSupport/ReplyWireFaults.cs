using System.Globalization;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>How <see cref="Reply.HalfBody"/> ends after the part of the body it sends.</summary>
public enum HalfBodyEnd
{
    /// <summary>Graceful close (FIN): the client sees the body end early.</summary>
    Close,

    /// <summary>Abortive close (RST).</summary>
    Reset,

    /// <summary>Keeps the connection open and sends nothing more (until the client or the server gives up).</summary>
    Hang,
}

/// <summary>The wire-only replies: faults only a socket can give, so only <see cref="RawHttpServer"/> sends them.</summary>
public sealed partial class Reply
{
    /// <summary>Wire only: headers at once (with the full Content-Length), then the body a few bytes per write, with a real delay before each.</summary>
    public static Reply Trickle(int status, string body, int bytesPerWrite, TimeSpan interval, string? contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(body);
        return Trickle(status, Encoding.UTF8.GetBytes(body), bytesPerWrite, interval, contentType);
    }

    /// <summary>Wire only: headers at once (with the full Content-Length), then the body a few bytes per write, with a real delay before each.</summary>
    public static Reply Trickle(int status, byte[] body, int bytesPerWrite, TimeSpan interval, string? contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerWrite, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        byte[] bytes = [.. body];
        return Wire($"Trickle({status}, {bytes.Length} bytes by {bytesPerWrite})", async context =>
        {
            await context.WriteAsync(Head(status, WithContentType(contentType, []), bytes.Length, context.Request.WantsClose)).ConfigureAwait(false);
            for (int sent = 0; sent < bytes.Length && !context.IsHead; sent += bytesPerWrite)
            {
                await Task.Delay(interval, context.Cancellation).ConfigureAwait(false);
                await context.WriteAsync(bytes.AsMemory(sent, Math.Min(bytesPerWrite, bytes.Length - sent))).ConfigureAwait(false);
            }

            return context.Request.WantsClose ? StepEnd.Close : StepEnd.KeepAlive;
        });
    }

    /// <summary>Wire only: declares the whole body's Content-Length but sends only its first <paramref name="bytesSent"/> bytes, then closes, resets or hangs.</summary>
    public static Reply HalfBody(int status, string body, int bytesSent, HalfBodyEnd then, string? contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(body);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesSent);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bytesSent, bytes.Length);
        return Wire($"HalfBody({status}, {bytesSent} of {bytes.Length} bytes, then {then})", async context =>
        {
            byte[] head = Head(status, WithContentType(contentType, []), bytes.Length, close: false);
            byte[] partial = [.. head, .. bytes.AsSpan(0, bytesSent)];
            await context.WriteAsync(partial).ConfigureAwait(false);
            return then switch
            {
                HalfBodyEnd.Close => StepEnd.Close,
                HalfBodyEnd.Reset => StepEnd.Reset,
                _ => StepEnd.Hang,
            };
        });
    }

    /// <summary>Wire only: sends the headers (declaring <paramref name="contentLength"/> bytes of body) and never the body.</summary>
    public static Reply HeadersThenSilence(int status, int contentLength = 64, string? contentType = "application/json")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contentLength, 1);
        return Wire($"HeadersThenSilence({status})", async context =>
        {
            await context.WriteAsync(Head(status, WithContentType(contentType, []), contentLength, close: false)).ConfigureAwait(false);
            return StepEnd.Hang;
        });
    }

    /// <summary>Wire only: reads the request, then resets the connection (RST: linger on, timeout 0, close) without a byte of answer.</summary>
    public static Reply Reset() => Wire("Reset", _ => Task.FromResult(StepEnd.Reset));

    /// <summary>Wire only: reads the request, then closes the connection gracefully (FIN) without a byte of answer.</summary>
    public static Reply CloseWithoutAnswer() => Wire("CloseWithoutAnswer", _ => Task.FromResult(StepEnd.Close));

    /// <summary>Wire only: writes exactly these bytes (odd or malformed responses), then closes gracefully, or, with <paramref name="close"/> false, reads the next request.</summary>
    public static Reply Raw(byte[] bytes, bool close = true)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        byte[] copy = [.. bytes];
        return Wire($"Raw({copy.Length} bytes)", async context =>
        {
            await context.WriteAsync(copy).ConfigureAwait(false);
            return close ? StepEnd.Close : StepEnd.KeepAlive;
        });
    }

    /// <summary>Wire only: writes exactly this text, as Latin-1 (one byte per char, so <c>"\xFF"</c> is the byte 0xFF); see <see cref="Raw(byte[], bool)"/>.</summary>
    public static Reply Raw(string text, bool close = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Raw(Encoding.Latin1.GetBytes(text), close);
    }

    /// <summary>Wire only: a chunked body, one chunk per string (empty ones skipped), a real delay before each, then the last chunk.</summary>
    public static Reply Chunked(int status, IEnumerable<string> chunks, TimeSpan interval, string? contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        byte[][] parts = [.. chunks.Select(Encoding.UTF8.GetBytes).Where(c => c.Length > 0)];
        return Wire($"Chunked({status}, {parts.Length} chunks)", async context =>
        {
            await context.WriteAsync(Head(status, [.. WithContentType(contentType, []), ("Transfer-Encoding", "chunked")], null, context.Request.WantsClose)).ConfigureAwait(false);
            if (!context.IsHead)
            {
                foreach (byte[] part in parts)
                {
                    await Task.Delay(interval, context.Cancellation).ConfigureAwait(false);
                    byte[] size = Encoding.ASCII.GetBytes(part.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
                    byte[] chunk = [.. size, .. part, (byte)'\r', (byte)'\n'];
                    await context.WriteAsync(chunk).ConfigureAwait(false);
                }

                await context.WriteAsync("0\r\n\r\n"u8.ToArray()).ConfigureAwait(false);
            }

            return context.Request.WantsClose ? StepEnd.Close : StepEnd.KeepAlive;
        });
    }

    internal static byte[] PlainResponse(int status, string text, bool close)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        return [.. Head(status, [("Content-Type", "text/plain; charset=utf-8")], body.Length, close), .. body];
    }

    private static Reply Wire(string description, Func<StepContext, Task<StepEnd>> run) => new(description, run, null);

    private static (string Name, string Value)[] WithContentType(string? contentType, (string Name, string Value)[] headers) =>
        string.IsNullOrEmpty(contentType) ? headers : [("Content-Type", contentType), .. headers];

    private static byte[] Head(int status, IEnumerable<(string Name, string Value)> headers, long? contentLength, bool close)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n");
        if (contentLength is long length)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        }

        foreach ((string name, string value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}

/// <summary>How the connection goes on after a step.</summary>
internal enum StepEnd
{
    KeepAlive,
    Close,
    Reset,
    Hang,
}

/// <summary>What a step sees: the request, the connection's stream, and the server's cancellation.</summary>
internal sealed class StepContext(ParsedRequest request, Stream stream, CancellationToken cancellation)
{
    public ParsedRequest Request { get; } = request;

    public CancellationToken Cancellation { get; } = cancellation;

    public bool IsHead => Request.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await stream.WriteAsync(bytes, Cancellation).ConfigureAwait(false);
        await stream.FlushAsync(Cancellation).ConfigureAwait(false);
    }
}
