using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// Repairs JSON whose strings escape a lone surrogate (<c>"\ud800"</c>): valid JSON syntax that .NET cannot read as a
/// string, so a stock <c>JsonParseNode</c> throws on it, even in a property the model does not know. The repaired copy
/// has each unpaired surrogate replaced by U+FFFD, as a UTF-8 decoder does with bad bytes.
/// </summary>
internal static class InvalidUtf16
{
    /// <summary>A cheap test: false when <paramref name="json"/> has no <c>\uD…</c> escape at all, so needs no repair.</summary>
    public static bool MayBeIn(ReadOnlySpan<byte> json) => json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0;

    /// <summary>A copy of <paramref name="json"/> with every string readable; null when nothing needed repair.</summary>
    public static byte[]? Repair(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        var repaired = false;
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            var reader = new Utf8JsonReader(json, options);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(ReadString(ref reader, ref repaired));
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(ReadString(ref reader, ref repaired));
                        break;
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                    default:
                        break; // comments
                }
            }
        }

        return repaired ? output.WrittenSpan.ToArray() : null;
    }

    private static string ReadString(ref Utf8JsonReader reader, ref bool repaired)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            repaired = true;
            var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            return ReplaceLoneSurrogates(Unescape(Encoding.UTF8.GetString(raw)));
        }
    }

    /// <summary>Undoes JSON escapes without judging the UTF-16 they give.</summary>
    private static string Unescape(string escaped)
    {
        var text = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c != '\\' || i + 1 >= escaped.Length)
            {
                text.Append(c);
                continue;
            }

            var e = escaped[++i];
            switch (e)
            {
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u' when i + 4 < escaped.Length
                    && ushort.TryParse(escaped.AsSpan(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code):
                    text.Append((char)code);
                    i += 4;
                    break;
                default: text.Append(e); break; // \" \\ \/
            }
        }

        return text.ToString();
    }

    private static string ReplaceLoneSurrogates(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
