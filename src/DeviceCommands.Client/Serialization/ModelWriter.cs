using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// The writing rules: the service's documented camelCase names, nothing for a null (and never the string
/// <c>"null"</c>), and additional data written back except values kept under a typed property's name
/// (the typed property is the one source of truth for its name).
/// </summary>
internal static class ModelWriter
{
    public static void WriteString(ISerializationWriter writer, string key, string? value)
    {
        if (value is not null && value != TolerantReader.NullText)
        {
            writer.WriteStringValue(key, value);
        }
    }

    /// <summary>
    /// Writes free JSON. Through Kiota's JSON writer it is written straight to the JSON writer underneath: Kiota's own
    /// untyped writing drops an empty property name (<c>{"":1}</c>, then fails or writes invalid JSON) and every node
    /// type it does not know (an <see cref="UntypedJsonNumber"/> would vanish with its name).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is nested deeper than <see cref="JsonPayload.MaxDepth"/>.</exception>
    public static void WriteUntyped(ISerializationWriter writer, string key, UntypedNode value)
    {
        PayloadDepth.Require(value, key);
        if (writer is JsonSerializationWriter json)
        {
            json.writer.WritePropertyName(key);
            WriteNode(json.writer, value);
        }
        else
        {
            writer.WriteObjectValue(key, value);
        }
    }

    public static void WriteNode(Utf8JsonWriter writer, UntypedNode? node)
    {
        switch (node)
        {
            case UntypedObject o:
                writer.WriteStartObject();
                foreach (var pair in o.GetValue())
                {
                    writer.WritePropertyName(pair.Key);
                    WriteNode(writer, pair.Value);
                }

                writer.WriteEndObject();
                break;
            case UntypedArray a:
                writer.WriteStartArray();
                foreach (var item in a.GetValue())
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case UntypedString s: writer.WriteStringValue(s.GetValue()); break;
            case UntypedBoolean b: writer.WriteBooleanValue(b.GetValue()); break;
            case UntypedInteger i: writer.WriteNumberValue(i.GetValue()); break;
            case UntypedLong l: writer.WriteNumberValue(l.GetValue()); break;
            case UntypedDecimal d: writer.WriteNumberValue(d.GetValue()); break;
            case UntypedDouble d: writer.WriteNumberValue(d.GetValue()); break;
            case UntypedFloat f: writer.WriteNumberValue(f.GetValue()); break;
            case UntypedJsonNumber n: n.WriteTo(writer); break;
            default: writer.WriteNullValue(); break;
        }
    }

    public static void WriteAdditionalData<TModel>(ISerializationWriter writer, IDictionary<string, object>? data, FieldTable<TModel> table)
        where TModel : class
    {
        if (data is null || data.Count == 0)
        {
            return;
        }

        Dictionary<string, object>? filtered = null;
        foreach (var pair in data)
        {
            if (table.IsKnown(pair.Key) || IsNullish(pair.Value))
            {
                filtered ??= new Dictionary<string, object>(data.Count, StringComparer.Ordinal);
                continue;
            }

            filtered?.Add(pair.Key, pair.Value);
        }

        if (filtered is null)
        {
            WriteData(writer, data);
            return;
        }

        // Rebuild in order: the first pass only learned that something must be left out.
        filtered.Clear();
        foreach (var pair in data)
        {
            if (!table.IsKnown(pair.Key) && !IsNullish(pair.Value))
            {
                filtered[pair.Key] = pair.Value;
            }
        }

        if (filtered.Count > 0)
        {
            WriteData(writer, filtered);
        }
    }

    private static void WriteData(ISerializationWriter writer, IDictionary<string, object> data)
    {
        if (writer is not JsonSerializationWriter || !data.Any(p => p.Key.Length == 0 || p.Value is UntypedNode))
        {
            writer.WriteAdditionalData(data);
            return;
        }

        foreach (var pair in data)
        {
            if (pair.Value is UntypedNode node)
            {
                WriteUntyped(writer, pair.Key, node);
            }
            else if (pair.Key.Length == 0)
            {
                WriteUntyped(writer, pair.Key, JsonPayload.FromValue(pair.Value));
            }
            else
            {
                writer.WriteAdditionalData(new Dictionary<string, object> { [pair.Key] = pair.Value });
            }
        }
    }

    private static bool IsNullish(object? value) =>
        value is null or UntypedNull || value is string s && s == TolerantReader.NullText
        || value is UntypedString u && u.GetValue() == TolerantReader.NullText;
}
