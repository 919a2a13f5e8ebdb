using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

// The tolerant reading of nested models and collections of them (see TolerantReader.cs for the rules).
internal static partial class TolerantReader
{
    /// <summary>
    /// Reads a nested model. A string (other than <c>"null"</c>), an array or a number where the object is
    /// expected reads as null and is kept in <paramref name="holder"/>'s additional data.
    /// </summary>
    public static T? ReadObject<T>(IParseNode node, IAdditionalDataHolder holder, string jsonName, ParsableFactory<T> factory)
        where T : class, IParsable, ITolerantModel
    {
        var text = TryGetString(node);
        if (text is not null)
        {
            if (text != NullText)
            {
                Keep(holder, jsonName, text);
            }

            return null;
        }

        T? value = null;
        try
        {
            value = node.GetObjectValue(factory);
            if (value is not null && value.HasValues)
            {
                return value;
            }
        }
        catch (Exception e) when (IsRecoverable(e))
        {
            value = null;
        }

        // Empty: either "{}" (a real, empty object) or a value of another shape, which a stock node reads as empty.
        var raw = ReadUntyped(node);
        if (raw is UntypedObject)
        {
            return value ?? factory(node);
        }

        Keep(holder, jsonName, raw);
        return null;
    }

    /// <summary>Reads a collection of models; a single object where the array is expected reads as a one-item list.</summary>
    public static List<T>? ReadCollection<T>(IParseNode node, IAdditionalDataHolder holder, string jsonName, ParsableFactory<T> factory)
        where T : class, IParsable, ITolerantModel
    {
        var text = TryGetString(node);
        if (text is not null)
        {
            if (text != NullText)
            {
                Keep(holder, jsonName, text);
            }

            return null;
        }

        List<T>? list = null;
        try
        {
            list = node.GetCollectionOfObjectValues(factory)?.ToList();
            if (list is { Count: > 0 })
            {
                return list;
            }
        }
        catch (Exception e) when (IsRecoverable(e))
        {
            list = null;
        }

        switch (ReadUntyped(node))
        {
            case UntypedArray:
                return list ?? [];
            case UntypedObject:
                var single = ReadObject(node, holder, jsonName, factory);
                return single is null ? null : [single];
            case var raw:
                Keep(holder, jsonName, raw);
                return null;
        }
    }
}
