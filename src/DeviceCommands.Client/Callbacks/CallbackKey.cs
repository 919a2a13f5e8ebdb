using System.Buffers.Text;
using System.Security.Cryptography;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// The key of one wait's callback URL: 128 bits from a cryptographic source, written as 22 URL-safe base64 characters
/// (<c>A–Z a–z 0–9 - _</c>, no padding), so it needs no escaping in a path and cannot be guessed.
/// </summary>
internal static class CallbackKey
{
    /// <summary>The length of a key's text.</summary>
    public const int Length = 22;

    /// <summary>A fresh key.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Whether <paramref name="key"/> has a key's shape (it may still be unknown).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        // 22 characters carry 132 bits: the last one holds 2 bits of padding, which a key written by New leaves at zero
        return Base64Url.IsValid(key, out var length) && length == 16;
    }
}
