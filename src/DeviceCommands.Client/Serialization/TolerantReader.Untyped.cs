using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

// The tolerant reading of free (untyped) JSON, and copies of it that outlive the parsed document.
internal static partial class TolerantReader
{
    /// <summary>Whether free JSON is absent as the reader sees it: null, a JSON null or the string <c>"null"</c> (never written).</summary>
    public static bool ReadsAsNull(UntypedNode? node) => node is null or UntypedNull || node is UntypedString s && s.GetValue() == NullText;

    /// <summary>Reads free JSON: any value, as an <see cref="UntypedNode"/>; <c>null</c> and <c>"null"</c> give null.</summary>
    public static UntypedNode? ReadJson(IParseNode node) => node is JsonElementParseNode { IsNullText: true } ? null : ReadUntyped(node) switch
    {
        null or UntypedNull => null,
        UntypedString s when s.GetValue() == NullText => null,
        var other => other,
    };

    public static UntypedNode? ReadUntyped(IParseNode node)
    {
        try
        {
            var value = node.GetObjectValue(UntypedNode.CreateFromDiscriminatorValue);
            return value is null ? null : Materialize(value);
        }
        catch (Exception e) when (IsRecoverable(e))
        {
            return null;
        }
    }

    /// <summary>
    /// A copy of an untyped value that no longer depends on the parsed document: a stock <c>JsonParseNode</c>
    /// enumerates arrays lazily over its <c>JsonDocument</c>, which may be gone by the time the model is used.
    /// </summary>
    public static UntypedNode Materialize(UntypedNode node)
    {
        if (!IsLazy(node))
        {
            return node;
        }

        switch (node)
        {
            case UntypedArray array:
                var items = new List<UntypedNode>();
                foreach (var item in array.GetValue())
                {
                    items.Add(item is null ? new UntypedNull() : Materialize(item));
                }

                return new UntypedArray(items);
            case UntypedObject obj:
                var properties = new Dictionary<string, UntypedNode>(StringComparer.Ordinal);
                foreach (var pair in obj.GetValue())
                {
                    properties[pair.Key] = pair.Value is null ? new UntypedNull() : Materialize(pair.Value);
                }

                return new UntypedObject(properties);
            default:
                return node;
        }
    }

    /// <summary>Whether a value still reads from its document: an array that is not a collection yet, or a value holding one.</summary>
    private static bool IsLazy(UntypedNode node) => node switch
    {
        UntypedArray array => array.GetValue() is not ICollection<UntypedNode> items || items.Any(i => i is not null && IsLazy(i)),
        UntypedObject obj => obj.GetValue().Values.Any(v => v is not null && IsLazy(v)),
        _ => false,
    };

    /// <summary>Materializes the untyped values a parse node put in a model's additional data (see <see cref="Materialize"/>).</summary>
    public static void MaterializeAdditionalData(IParsable model)
    {
        if (model is IAdditionalDataHolder holder && holder.AdditionalData is { Count: > 0 } data)
        {
            List<KeyValuePair<string, object>>? replaced = null;
            foreach (var pair in data)
            {
                if (pair.Value is UntypedArray or UntypedObject)
                {
                    (replaced ??= []).Add(new(pair.Key, Materialize((UntypedNode)pair.Value)));
                }
            }

            if (replaced is not null)
            {
                foreach (var pair in replaced)
                {
                    data[pair.Key] = pair.Value;
                }
            }
        }

        // last: the getter above makes the dictionary when there was none
        (model as ITolerantModel)?.TrimAdditionalData();
    }
}
