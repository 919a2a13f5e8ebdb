using System.Buffers;
using System.Globalization;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Http;

/// <summary>A response body read into a buffer rented from the shared pool; dispose it to give the buffer back.</summary>
internal readonly struct PooledBody(byte[]? buffer, int length, bool owned = true) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => buffer is null ? default : buffer.AsMemory(0, length);

    public int Length => length;

    /// <summary>The buffer and length, for a new owner (<see cref="PooledContent"/>) that gives the buffer back itself.</summary>
    public (byte[]? Buffer, int Length) Detach() => (buffer, length);

    public void Dispose()
    {
        if (owned && buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// Reads a response body under a size limit, into a pooled buffer that never grows past the limit, so a huge or endless
/// body is refused (or, for an error's body, cut) as soon as it passes the limit, without being held whole. A body the
/// attempt read already (<see cref="PooledContent"/>) is used where it is: its length is the one check left.
/// </summary>
internal static class BodyReader
{
    /// <summary>Reads <paramref name="content"/>; a body over <paramref name="maxBytes"/> throws <see cref="ApiException"/>, or with <paramref name="truncate"/> is cut there.</summary>
    public static async ValueTask<PooledBody> ReadAsync(HttpContent content, long maxBytes, bool truncate, CancellationToken cancellationToken)
    {
        var limit = (int)Math.Clamp(maxBytes, 0, Array.MaxLength);
        if (content is PooledContent pooled)
        {
            var memory = pooled.Memory;
            if (memory.Length > limit && !truncate)
            {
                throw TooLarge(string.Create(CultureInfo.InvariantCulture, $"The answer's body of {memory.Length} bytes is larger than the limit of {limit} bytes."));
            }

            // the content keeps the buffer until the response is disposed, after the body is read
            return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment)
                ? new PooledBody(segment.Array, Math.Min(memory.Length, limit), owned: false)
                : default;
        }

        var declaredLength = DeclaredLength(content);
        if (!truncate && declaredLength is long declared && declared > limit)
        {
            throw TooLarge(string.Create(CultureInfo.InvariantCulture, $"The answer's body of {declared} bytes is larger than the limit of {limit} bytes."));
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // pooled sizes are powers of two: renting limit + 1 would double the buffer, so a body that fills the
            // limit exactly is probed for one more byte instead
            var initial = declaredLength is long known and > 0 ? (int)Math.Min(known, limit - 1L) + 1 : 4096;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Min(initial, limit), 256));
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == limit)
                    {
                        if (!truncate && await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
                        {
                            throw TooLarge(string.Create(CultureInfo.InvariantCulture, $"The answer's body is larger than the limit of {limit} bytes."));
                        }

                        break;
                    }

                    if (length == buffer.Length)
                    {
                        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                        buffer.AsSpan(0, length).CopyTo(grown);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = grown;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                return new PooledBody(buffer, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    /// <summary>
    /// The body's length as its <c>Content-Length</c> header declares it: the raw value, read without the parsing (and
    /// the boxed value) of <see cref="System.Net.Http.Headers.HttpContentHeaders.ContentLength"/>; null when the header
    /// is absent, repeated, or not a number that fits a <see cref="long"/>.
    /// </summary>
    public static long? DeclaredLength(HttpContent content)
    {
        if (!content.Headers.NonValidated.TryGetValues("Content-Length", out var values) || values.Count != 1)
        {
            return null;
        }

        return long.TryParse(values.ToString(), NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var length) && length >= 0
            ? length
            : null;
    }

    private static ApiException TooLarge(string message) => new(message);
}
