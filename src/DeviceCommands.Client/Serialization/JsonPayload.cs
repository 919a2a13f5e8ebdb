using System.Collections;
using System.Globalization;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// Turns the plain .NET values that users put in a command's payload (dictionaries, lists, strings, numbers,
/// booleans, dates, <see cref="JsonElement"/>, <see cref="UntypedNode"/>) into Kiota's <see cref="UntypedNode"/>,
/// without reflection, so that the payload is written exactly and the library stays trimming and AOT safe.
/// </summary>
public static class JsonPayload
{
    /// <summary>
    /// The most levels of objects and arrays inside each other a payload may have: 64, System.Text.Json's default. It
    /// holds both ways: building a payload (<see cref="FromValue"/>, <see cref="FromJson"/>), writing one
    /// (<see cref="ToJson"/>, sending a command) and reading one from the service. A scalar is 0 deep, <c>{}</c> is 1.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Converts a value to an <see cref="UntypedNode"/>.</summary>
    /// <param name="value">A payload value: null, <see cref="string"/>, <see cref="bool"/>, a real number of any .NET number type
    /// (<see cref="Int128"/>, <see cref="Half"/> and <see cref="System.Numerics.BigInteger"/> included), <see cref="DateTimeOffset"/>, <see cref="DateTime"/>, <see cref="Guid"/>, <see cref="Uri"/>, an enum,
    /// <see cref="JsonElement"/>, <see cref="UntypedNode"/>, a dictionary with string keys, or a sequence of these.</param>
    /// <returns>The equivalent node.</returns>
    /// <exception cref="ArgumentException">A value of a type that has no JSON form here (infinity and NaN included), or nesting deeper than <see cref="MaxDepth"/> (a cycle, say).</exception>
    public static UntypedNode FromValue(object? value) => Convert(value, 0);

    /// <summary>A payload from JSON: any value (an object for the documented commands).</summary>
    /// <param name="json">The JSON value.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="ArgumentException"><paramref name="json"/> is nested deeper than <see cref="MaxDepth"/>.</exception>
    public static UntypedNode FromJson(JsonElement json) => FromElement(json, 0, nameof(json));

    /// <summary>
    /// A payload from a value of your own type, written by System.Text.Json with the metadata of your
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> (source generation: trimming and AOT safe).
    /// </summary>
    /// <typeparam name="T">Your type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Its metadata, e.g. <c>MyJsonContext.Default.Toast</c>.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="ArgumentException">The value's JSON is nested deeper than <see cref="MaxDepth"/>.</exception>
    public static UntypedNode From<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return FromJson(JsonSerializer.SerializeToElement(value, typeInfo));
    }

    /// <summary>A payload as JSON; <c>null</c> reads as a JSON null.</summary>
    /// <param name="payload">The payload (a command's <c>Payload</c>, say).</param>
    /// <returns>A <see cref="JsonElement"/> that does not depend on anything else (it can be kept).</returns>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is nested deeper than <see cref="MaxDepth"/>.</exception>
    public static JsonElement ToJson(UntypedNode? payload)
    {
        PayloadDepth.Require(payload, nameof(payload));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ModelWriter.WriteNode(writer, payload);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A payload as plain .NET values: an object as a dictionary (every name kept as sent, so names that differ only in
    /// case are all there; a lookup by a spelling that is not there finds the first name that differs from it only in
    /// case), arrays as lists, strings,
    /// booleans, numbers as <see cref="int"/>, <see cref="long"/>, <see cref="decimal"/> or <see cref="double"/> (the first
    /// that holds the number exactly; else an <see cref="UntypedJsonNumber"/> with its text, e.g. <c>1e400</c>), JSON
    /// null as null. Null when the payload is not an object.
    /// </summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The dictionary, or null.</returns>
    public static IReadOnlyDictionary<string, object?>? ToDictionary(UntypedNode? payload) =>
        payload is UntypedObject obj ? (IReadOnlyDictionary<string, object?>)Plain(obj)! : null;

    /// <summary>A payload read into a value of your own type by System.Text.Json with your source-generated metadata.</summary>
    /// <typeparam name="T">Your type.</typeparam>
    /// <param name="payload">The payload.</param>
    /// <param name="typeInfo">The type's metadata, e.g. <c>MyJsonContext.Default.AppAnswer</c>.</param>
    /// <returns>The value; default for a null payload.</returns>
    /// <exception cref="JsonException">The payload does not fit the type (System.Text.Json's own message says where).</exception>
    public static T? To<T>(UntypedNode? payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return payload is null ? default : ToJson(payload).Deserialize(typeInfo);
    }

    private static object? Plain(UntypedNode? node) => node switch
    {
        UntypedObject o => new PayloadDictionary(o.GetValue().ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal)),
        UntypedArray a => a.GetValue().Select(Plain).ToList(),
        UntypedString s => s.GetValue(),
        UntypedBoolean b => b.GetValue(),
        UntypedInteger i => i.GetValue(),
        UntypedLong l => l.GetValue(),
        UntypedDecimal d => d.GetValue(),
        UntypedDouble d => d.GetValue(),
        UntypedFloat f => (double)f.GetValue(),
        UntypedJsonNumber n => n,
        _ => null,
    };

    /// <summary>Converts a dictionary to an <see cref="UntypedObject"/>.</summary>
    /// <param name="values">The properties.</param>
    /// <returns>The object node.</returns>
    public static UntypedObject FromDictionary(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return ConvertObject(values, 0);
    }

    private static UntypedNode FromElement(JsonElement json, int enclosing, string paramName)
    {
        try
        {
            return JsonElementParseNode.Untyped(json, careful: true, enclosing);
        }
        catch (PayloadTooDeepException)
        {
            throw new ArgumentException(PayloadDepth.TooDeep($"The value of '{paramName}'"), paramName);
        }
    }

    /// <summary>A value as a node; <paramref name="depth"/> objects and arrays hold it already.</summary>
    private static UntypedNode Convert(object? value, int depth)
    {
        if (depth >= MaxDepth && value is not (null or string or UntypedNode or JsonElement) && value is IEnumerable)
        {
            throw new ArgumentException(PayloadDepth.TooDeep("The payload") + " Is there a cycle?", nameof(value));
        }

        PayloadDepth.Require(value as UntypedNode, nameof(value), depth);
        return value switch
        {
            null => new UntypedNull(),
            UntypedNode node => node,
            string s => new UntypedString(s),
            bool b => new UntypedBoolean(b),
            int i => new UntypedInteger(i),
            short s => new UntypedInteger(s),
            byte b => new UntypedInteger(b),
            sbyte s => new UntypedInteger(s),
            ushort u => new UntypedInteger(u),
            long l => new UntypedLong(l),
            uint u => new UntypedLong(u),
            ulong u => new UntypedDecimal(u),
            float f when float.IsFinite(f) => new UntypedFloat(f),
            double d when double.IsFinite(d) => new UntypedDouble(d),
            nint n => new UntypedLong(n),
            nuint u => new UntypedDecimal(u),
            Int128 i => i >= long.MinValue && i <= long.MaxValue ? new UntypedLong((long)i) : new UntypedJsonNumber(i.ToString(CultureInfo.InvariantCulture)),
            UInt128 u => u <= long.MaxValue ? new UntypedLong((long)u) : new UntypedJsonNumber(u.ToString(CultureInfo.InvariantCulture)),

            // its shortest text read as a double: (Half)0.1 is written 0.1, which reads back as the same Half
            Half h when Half.IsFinite(h) => new UntypedDouble(double.Parse(h.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
            float or double or Half => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The payload number {value} has no JSON form (JSON has no infinity or NaN)."), nameof(value)),
            System.Numerics.BigInteger b => new UntypedJsonNumber(b.ToString(CultureInfo.InvariantCulture)),
            decimal d => new UntypedDecimal(d),
            char c => new UntypedString(c.ToString()),
            DateTimeOffset d => new UntypedString(d.ToString("O", CultureInfo.InvariantCulture)),
            DateTime d => new UntypedString(d.ToString("O", CultureInfo.InvariantCulture)),
            Guid g => new UntypedString(g.ToString()),
            Uri u => new UntypedString(u.OriginalString),
            TimeSpan t => new UntypedString(t.ToString("c", CultureInfo.InvariantCulture)),
            Enum e => new UntypedString(e.ToString()),
            JsonElement e => FromElement(e, depth, nameof(value)),
            IEnumerable<KeyValuePair<string, object?>> pairs => ConvertObject(pairs, depth),
            IEnumerable<KeyValuePair<string, string>> pairs => ConvertObject(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), depth),
            IDictionary dictionary => ConvertObject(Pairs(dictionary), depth),
            IEnumerable sequence => new UntypedArray(sequence.Cast<object?>().Select(v => Convert(v, depth + 1)).ToList()),
            _ => throw new ArgumentException(
                $"A payload value of type {value.GetType().FullName} has no JSON form here. A payload value is null, a string, a char, a bool, a real number of a .NET number type (sbyte to Int128 and UInt128, nint, nuint, Half, float, double, decimal, BigInteger), a DateTimeOffset, DateTime, Guid, Uri, TimeSpan or enum (written as text), a JsonElement, an UntypedNode, a dictionary with string keys, or a sequence of these.",
                nameof(value)),
        };
    }

    private static UntypedObject ConvertObject(IEnumerable<KeyValuePair<string, object?>> pairs, int depth)
    {
        var properties = new Dictionary<string, UntypedNode>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            properties[pair.Key] = Convert(pair.Value, depth + 1);
        }

        return new UntypedObject(properties);
    }

    private static IEnumerable<KeyValuePair<string, object?>> Pairs(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = entry.Key as string ?? System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture)
                ?? throw new ArgumentException("A payload dictionary key must not be null.", nameof(dictionary));
            yield return new KeyValuePair<string, object?>(key, entry.Value);
        }
    }
}
