using System.Text.Json;

namespace DeviceCommands.Emulator.Wire;

/// <summary>
/// Tells a body refused for nesting too deep from one that is not JSON: <see cref="JsonException"/> says both alike,
/// and its message is localized text, so the body is read again up to the point it failed.
/// </summary>
internal static class JsonNesting
{
    /// <summary>
    /// True when <paramref name="body"/> opens an object or array deeper than <paramref name="maxDepth"/> before
    /// anything else is wrong with it (the first fault is the one reported, as the parser found it).
    /// </summary>
    public static bool TooDeep(ReadOnlySpan<byte> body, int maxDepth)
    {
        Utf8JsonReader reader = new(body, new JsonReaderOptions { MaxDepth = maxDepth });
        int depth = 0;
        try
        {
            while (reader.Read())
            {
                depth += reader.TokenType switch
                {
                    JsonTokenType.StartObject or JsonTokenType.StartArray => 1,
                    JsonTokenType.EndObject or JsonTokenType.EndArray => -1,
                    _ => 0,
                };
            }

            return false;
        }
        catch (JsonException)
        {
            // every level is open and the next value opens one more: the depth, not the syntax, stopped the reader
            ReadOnlySpan<byte> rest = body[(int)reader.BytesConsumed..].TrimStart(" \t\r\n"u8);
            byte? separator = reader.TokenType switch
            {
                JsonTokenType.PropertyName => (byte)':',
                JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.None => null,
                _ => (byte)',',
            };
            if (separator is { } expected && rest.Length > 0 && rest[0] == expected)
            {
                rest = rest[1..].TrimStart(" \t\r\n"u8);
            }

            return depth >= maxDepth && rest.Length > 0 && rest[0] is (byte)'[' or (byte)'{';
        }
    }
}
