using System.Buffers;
using System.Net;

namespace DeviceCommands.Client.Http;

/// <summary>
/// A response body already read whole, within the client's limit, into a buffer rented from the shared pool: the
/// attempt reads it once from the wire, and <see cref="BodyReader"/> parses these bytes where they are instead of
/// copying them again. Disposing the content (the response is disposed once read) gives the buffer back.
/// </summary>
/// <remarks>
/// The content headers are copied from the original content eagerly, or (for a message of the client's adapter, whose
/// own reader rarely needs them) only when asked for: <see cref="HeadersOf"/>, or <see cref="ShowHeaders"/> before
/// the answer goes to a caller's handler. Until then the original content, disposed, keeps them.
/// </remarks>
internal sealed class PooledContent : HttpContent
{
    private byte[]? _buffer;
    private readonly int _length;
    private HttpContent? _headersSource;

    public PooledContent(PooledBody body, HttpContent original, bool copyHeaders = true)
    {
        (_buffer, _length) = body.Detach();
        if (copyHeaders)
        {
            CopyHeaders(original);
        }
        else
        {
            _headersSource = original;
        }
    }

    /// <summary>The content headers of <paramref name="content"/>, those a <see cref="PooledContent"/> has not copied yet included.</summary>
    public static System.Net.Http.Headers.HttpContentHeaders HeadersOf(HttpContent content)
    {
        if (content is PooledContent pooled)
        {
            pooled.TakeHeaders();
        }

        return content.Headers;
    }

    /// <summary>Copies the content headers of <paramref name="response"/>'s body onto it, when its body is a <see cref="PooledContent"/> that has not yet.</summary>
    public static void ShowHeaders(HttpResponseMessage response) => HeadersOf(response.Content);

    private void TakeHeaders()
    {
        if (Interlocked.Exchange(ref _headersSource, null) is { } original)
        {
            CopyHeaders(original);
        }
    }

    private void CopyHeaders(HttpContent original)
    {
        // NonValidated: the values as they came, neither parsed nor boxed
        foreach (var (name, values) in original.Headers.NonValidated)
        {
            if (values.Count == 1)
            {
                Headers.TryAddWithoutValidation(name, values.ToString());
                continue;
            }

            foreach (var value in values)
            {
                Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    /// <summary>The body's bytes; <see cref="ObjectDisposedException"/> once the content is disposed.</summary>
    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledContent))).AsMemory(0, _length);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Memory, cancellationToken).AsTask();

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        Task.FromResult<Stream>(new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(PooledContent)), 0, _length, writable: false));

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
