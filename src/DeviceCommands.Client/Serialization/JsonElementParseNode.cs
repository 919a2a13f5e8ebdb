using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Helpers;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// Kiota's <see cref="IParseNode"/> over a <see cref="JsonElement"/>, with the stock JSON node's semantics but cheaper
/// and safer: a number of the wrong size or shape reads as null, untyped values are built eagerly, and an unknown string
/// stays a string. Details: docs/transport.md ("Reading answers").
/// </summary>
/// <remarks>
/// Made <paramref name="careful"/> for a body that may hold strings .NET cannot decode (see <see cref="JsonBody"/>):
/// such a string is dropped with its property or array item.
/// </remarks>
internal sealed class JsonElementParseNode(JsonElement element, bool careful = false) : IParseNode
{
    /// <summary>The longest property name read without allocating it (longer or escaped names are read as strings).</summary>
    private const int MaxSpanName = 128;

    private JsonElement element = element;

    /// <summary>Whether the value is the string <c>"null"</c> (read without allocating it).</summary>
    public bool IsNullText => element.ValueKind == JsonValueKind.String && element.ValueEquals(TolerantReader.NullTextUtf8);

    /// <summary>The string value when it is exactly one of <paramref name="known"/>: that instance, so nothing is allocated; null otherwise.</summary>
    public string? KnownString(string[] known)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            foreach (var candidate in known)
            {
                if (element.ValueEquals(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    public Action<IParsable>? OnBeforeAssignFieldValues { get; set; }

    public Action<IParsable>? OnAfterAssignFieldValues { get; set; }

    public string? GetStringValue() => element.ValueKind == JsonValueKind.String && (!careful || Decodes(element)) ? element.GetString() : null;

    public bool? GetBoolValue() => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public byte? GetByteValue() => element.ValueKind == JsonValueKind.Number && element.TryGetByte(out var v) ? v : null;

    public sbyte? GetSbyteValue() => element.ValueKind == JsonValueKind.Number && element.TryGetSByte(out var v) ? v : null;

    public int? GetIntValue() => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var v) ? v : null;

    public long? GetLongValue() => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var v) ? v : null;

    public float? GetFloatValue() => element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out var v) ? v : null;

    public double? GetDoubleValue() => element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var v) ? v : null;

    public decimal? GetDecimalValue() => element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var v) ? v : null;

    public Guid? GetGuidValue() => element.ValueKind == JsonValueKind.String && element.TryGetGuid(out var v) ? v : null;

    public DateTimeOffset? GetDateTimeOffsetValue()
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (element.TryGetDateTimeOffset(out var v))
        {
            return v;
        }

        return DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out v) ? v : null;
    }

    public TimeSpan? GetTimeSpanValue()
    {
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public Date? GetDateValue() =>
        element.ValueKind == JsonValueKind.String && DateTime.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var v)
            ? new Date(v)
            : null;

    public Time? GetTimeValue() =>
        element.ValueKind == JsonValueKind.String && DateTime.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var v)
            ? new Time(v)
            : null;

    public byte[]? GetByteArrayValue()
    {
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 })
        {
            return null;
        }

        return element.TryGetBytesFromBase64(out var bytes) ? bytes : null;
    }

    public T? GetEnumValue<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>()
        where T : struct, Enum
    {
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        try
        {
            return EnumHelpers.GetEnumValue<T>(text);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    public IEnumerable<T?> GetCollectionOfEnumValues<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>()
        where T : struct, Enum
    {
        var values = new List<T?>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                values.Add(Child(item).GetEnumValue<T>());
            }
        }

        return values;
    }

    public IEnumerable<T> GetCollectionOfPrimitiveValues<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>()
    {
        var values = new List<T>();
        if (element.ValueKind != JsonValueKind.Array)
        {
            return values;
        }

        foreach (var item in element.EnumerateArray())
        {
            var node = Child(item);
            object? value = typeof(T) switch
            {
                var t when t == typeof(string) => node.GetStringValue(),
                var t when t == typeof(bool) || t == typeof(bool?) => node.GetBoolValue(),
                var t when t == typeof(int) || t == typeof(int?) => node.GetIntValue(),
                var t when t == typeof(long) || t == typeof(long?) => node.GetLongValue(),
                var t when t == typeof(double) || t == typeof(double?) => node.GetDoubleValue(),
                var t when t == typeof(float) || t == typeof(float?) => node.GetFloatValue(),
                var t when t == typeof(decimal) || t == typeof(decimal?) => node.GetDecimalValue(),
                var t when t == typeof(byte) || t == typeof(byte?) => node.GetByteValue(),
                var t when t == typeof(sbyte) || t == typeof(sbyte?) => node.GetSbyteValue(),
                var t when t == typeof(Guid) || t == typeof(Guid?) => node.GetGuidValue(),
                var t when t == typeof(DateTimeOffset) || t == typeof(DateTimeOffset?) => node.GetDateTimeOffsetValue(),
                var t when t == typeof(TimeSpan) || t == typeof(TimeSpan?) => node.GetTimeSpanValue(),
                var t when t == typeof(Date) || t == typeof(Date?) => node.GetDateValue(),
                var t when t == typeof(Time) || t == typeof(Time?) => node.GetTimeValue(),
                _ => null,
            };
            if (value is T typed)
            {
                values.Add(typed);
            }
        }

        return values;
    }

    public IEnumerable<T> GetCollectionOfObjectValues<T>(ParsableFactory<T> factory)
        where T : IParsable
    {
        var values = new List<T>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                values.Add(Child(item).GetObjectValue(factory));
            }
        }

        return values;
    }

    public T GetObjectValue<T>(ParsableFactory<T> factory)
        where T : IParsable
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (typeof(T) == typeof(UntypedNode))
        {
            return (T)(object)Untyped(element, careful);
        }

        var item = factory(this);
        OnBeforeAssignFieldValues?.Invoke(item);
        AssignFieldValues(item, stackalloc char[MaxSpanName]);
        OnAfterAssignFieldValues?.Invoke(item);
        return item;
    }

    public IParseNode? GetChildNode(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(identifier, out var child) ? Child(child) : null;
    }

    /// <summary>An untyped copy of a JSON value, built at once (it does not read from the document later).</summary>
    /// <param name="value">The value.</param>
    /// <param name="careful">Whether to drop the strings that cannot be decoded, with their property or item.</param>
    /// <param name="enclosing">How many objects and arrays hold the value already (they count towards the limit).</param>
    /// <exception cref="PayloadTooDeepException">The value is nested deeper than <see cref="JsonPayload.MaxDepth"/>.</exception>
    public static UntypedNode Untyped(JsonElement value, bool careful = false, int enclosing = 0)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && enclosing >= JsonPayload.MaxDepth)
        {
            throw new PayloadTooDeepException(PayloadDepth.TooDeep("A JSON value"));
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new Dictionary<string, UntypedNode>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!careful || Decodes(property))
                    {
                        properties[property.Name] = Untyped(property.Value, careful, enclosing + 1);
                    }
                }

                return new UntypedObject(properties);
            case JsonValueKind.Array:
                var items = new List<UntypedNode>(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    if (!careful || Decodes(item))
                    {
                        items.Add(Untyped(item, careful, enclosing + 1));
                    }
                }

                return new UntypedArray(items);
            case JsonValueKind.String:
                return new UntypedString(value.GetString());
            case JsonValueKind.True:
                return new UntypedBoolean(true);
            case JsonValueKind.False:
                return new UntypedBoolean(false);
            case JsonValueKind.Number:
                return JsonNumberText.Node(value);
            default:
                return new UntypedNull();
        }
    }

    /// <summary>Reads each property of this object into <paramref name="item"/>, through its field deserializers or into its additional data.</summary>
    /// <remarks>
    /// Not generic, and the caller gives the buffer for names (<paramref name="name"/>, on its stack): a method with both
    /// a loop and a <c>stackalloc</c> cannot start at tier 0, so the runtime would compile this one fully optimized on the first read.
    /// </remarks>
    private void AssignFieldValues(IParsable item, Span<char> name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        IDictionary<string, object>? additionalData = null;
        var fields = item.GetFieldDeserializers();
        var sink = fields as IFieldSink;

        // one child node, moved from property to property: readers read a node at once and never keep it
        var child = Child(default);
        foreach (var property in element.EnumerateObject())
        {
            if (careful && !Decodes(property))
            {
                continue;
            }

            child.element = property.Value;
            var isJsonNull = property.Value.ValueKind == JsonValueKind.Null;
            if (sink is not null && TryGetName(property, name, out var length))
            {
                if (sink.TryRead(name[..length], child, isJsonNull))
                {
                    continue;
                }
            }
            else if (fields.TryGetValue(property.Name, out var read))
            {
                if (!isJsonNull)
                {
                    read(child);
                }

                continue;
            }

            if (item is IAdditionalDataHolder holder)
            {
                additionalData ??= holder.AdditionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
                additionalData.TryAdd(property.Name, Anything(property.Value, careful)!);
            }
        }
    }

    /// <summary>A property's name as characters, from its raw UTF-8 (false for a name with escapes, or too long).</summary>
    private static bool TryGetName(JsonProperty property, Span<char> name, out int length)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        length = 0;
        return raw.Length <= name.Length && !raw.Contains((byte)'\\')
            && Utf8.ToUtf16(raw, name, out _, out length, replaceInvalidSequences: false) == OperationStatus.Done;
    }

    /// <summary>An unknown property's value: numbers as the smallest type that holds them exactly (see <see cref="JsonNumberText"/>), strings as strings, the rest untyped.</summary>
    private static object? Anything(JsonElement value, bool careful) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => JsonNumberText.Plain(value),
        JsonValueKind.Object or JsonValueKind.Array => Untyped(value, careful),
        _ => null,
    };

    /// <summary>Whether a property's name, and its value if it is a string, can be decoded.</summary>
    private static bool Decodes(JsonProperty property)
    {
        try
        {
            _ = property.Name;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return Decodes(property.Value);
    }

    /// <summary>Whether a value can be read: anything but a string that holds an invalid UTF-8 byte or an escaped lone surrogate.</summary>
    private static bool Decodes(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private JsonElementParseNode Child(JsonElement value) => new(value, careful)
    {
        OnBeforeAssignFieldValues = OnBeforeAssignFieldValues,
        OnAfterAssignFieldValues = OnAfterAssignFieldValues,
    };
}
