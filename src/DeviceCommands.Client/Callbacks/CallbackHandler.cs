using System.Buffers;
using System.Net;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// The receiver's in-memory endpoint: <c>POST {base}/{key}</c> answered 202, 404 (unknown key, or a URL not under the
/// base), 400 (malformed key), 413 (a body over 64 KiB, read no further), 405 (another method).
/// </summary>
internal sealed class CallbackHandler(CommandCallbackReceiver receiver) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Post)
        {
            return Answer(request, HttpStatusCode.MethodNotAllowed);
        }

        if (receiver.KeyOf(request.RequestUri) is not { } key)
        {
            return Answer(request, HttpStatusCode.NotFound);
        }

        var body = request.Content is null ? [] : await CallbackBodyReader.ReadAsync(request.Content, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Answer(request, HttpStatusCode.RequestEntityTooLarge);
        }

        return Answer(request, receiver.Receive(key, body) switch
        {
            CallbackReceipt.Accepted => HttpStatusCode.Accepted,
            CallbackReceipt.UnknownKey => HttpStatusCode.NotFound,
            _ => HttpStatusCode.BadRequest,
        });
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request, HttpStatusCode status) =>
        new(status) { RequestMessage = request, Content = new ByteArrayContent([]) };
}

/// <summary>Reads a callback body up to <see cref="CommandCallbackReceiver.MaxBodyBytes"/>, and no further.</summary>
internal static class CallbackBodyReader
{
    /// <summary>The body; null when it is (or announces itself) longer than the limit.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > CommandCallbackReceiver.MaxBodyBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stream's bytes; null once more than the limit has come (the rest is not read).</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CommandCallbackReceiver.MaxBodyBytes + 1);
        try
        {
            var length = 0;
            while (length <= CommandCallbackReceiver.MaxBodyBytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length, CommandCallbackReceiver.MaxBodyBytes + 1 - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer[..length];
                }

                length += read;
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
