using System.Buffers;

namespace DeviceCommands.Client.Callbacks;

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
