using System.Globalization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// The reading rules of the tolerant model deserializer, written against <see cref="IParseNode"/> only, so that
/// they hold through any Kiota parse node (a stock <c>JsonParseNode</c> included):
/// the string <c>"null"</c> reads as null; a number or boolean where a string is expected reads as its text;
/// a number sent as a string reads as the number; dates read ISO 8601 and US <c>MM/dd/yyyy</c>; a value that
/// cannot be typed reads as null and is kept, as sent, in the model's <see cref="IAdditionalDataHolder.AdditionalData"/>.
/// Nothing here throws on a value of the wrong shape.
/// </summary>
internal static partial class TolerantReader
{
    /// <summary>The text that the service's reference pages print where a JSON null is meant.</summary>
    public const string NullText = "null";

    /// <summary><see cref="NullText"/> in UTF-8.</summary>
    public static ReadOnlySpan<byte> NullTextUtf8 => "null"u8;

    /// <summary>
    /// Reads a string; a number or boolean reads as its invariant text, <c>"null"</c> as null, and an object or array
    /// as null (kept in <paramref name="holder"/>'s additional data).
    /// </summary>
    public static string? ReadString(IParseNode node, IAdditionalDataHolder holder, string jsonName)
    {
        var text = TryGetString(node);
        if (text is not null)
        {
            return text == NullText ? null : text;
        }

        var raw = ReadUntyped(node);
        var scalar = ScalarText(raw);
        if (scalar is null)
        {
            Keep(holder, jsonName, raw);
        }

        return scalar == NullText ? null : scalar;
    }

    public static int? ReadInt32(IParseNode node, IAdditionalDataHolder holder, string jsonName)
    {
        try
        {
            if (node.GetIntValue() is int value)
            {
                return value;
            }
        }
        catch (Exception e) when (IsRecoverable(e))
        {
            // a number that is not an Int32 (1.5, 1e40): decided below from its untyped value
        }

        var text = TryGetString(node);
        if (text is not null)
        {
            if (text == NullText)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            Keep(holder, jsonName, text);
            return null;
        }

        var raw = ReadUntyped(node);
        switch (raw)
        {
            case UntypedInteger i:
                return i.GetValue();
            case UntypedLong l when l.GetValue() is >= int.MinValue and <= int.MaxValue:
                return (int)l.GetValue();
            case UntypedDecimal d when decimal.Truncate(d.GetValue()) == d.GetValue() && d.GetValue() is >= int.MinValue and <= int.MaxValue:
                return (int)d.GetValue();
            default:
                Keep(holder, jsonName, raw);
                return null;
        }
    }

    public static DateTimeOffset? ReadDateTimeOffset(IParseNode node, IAdditionalDataHolder holder, string jsonName)
    {
        var text = TryGetString(node);
        if (text is null)
        {
            Keep(holder, jsonName, ReadUntyped(node));
            return null;
        }

        if (text == NullText)
        {
            return null;
        }

        if (TryParseDate(text, out var value))
        {
            return value;
        }

        // a placeholder such as "date-time", or a date in no format we know: null, with the text kept
        Keep(holder, jsonName, text);
        return null;
    }

    /// <summary>ISO 8601 first, then the US <c>MM/dd/yyyy</c> of the reference pages; a date without an offset is UTC.</summary>
    public static bool TryParseDate(string text, out DateTimeOffset value)
    {
        const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Styles, out value))
        {
            return true;
        }

        string[] usFormats = ["M/d/yyyy", "M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm tt"];
        return DateTimeOffset.TryParseExact(text.Trim(), usFormats, CultureInfo.InvariantCulture, Styles, out value);
    }

    /// <summary>The invariant text of a scalar (string, number, boolean); null for objects, arrays and null.</summary>
    public static string? ScalarText(UntypedNode? node) => node switch
    {
        UntypedString s => s.GetValue(),
        UntypedBoolean b => b.GetValue() ? "true" : "false",
        UntypedInteger i => i.GetValue().ToString(CultureInfo.InvariantCulture),
        UntypedLong l => l.GetValue().ToString(CultureInfo.InvariantCulture),
        UntypedDecimal d => d.GetValue().ToString(CultureInfo.InvariantCulture),
        UntypedDouble d => d.GetValue().ToString("R", CultureInfo.InvariantCulture),
        UntypedFloat f => f.GetValue().ToString("R", CultureInfo.InvariantCulture),
        UntypedJsonNumber n => n.GetValue(),
        _ => null,
    };

    /// <summary>Keeps a value that could not be typed, under the name it was sent with.</summary>
    public static void Keep(IAdditionalDataHolder holder, string jsonName, object? raw)
    {
        if (raw is not null and not UntypedNull)
        {
            holder.AdditionalData[jsonName] = raw;
        }
    }

    public static bool IsRecoverable(Exception e) =>
        e is not (OutOfMemoryException or InsufficientExecutionStackException or OperationCanceledException or PayloadTooDeepException);

    private static string? TryGetString(IParseNode node)
    {
        if (node is JsonElementParseNode { IsNullText: true })
        {
            return NullText; // the client's own node: no copy of the text just to compare it
        }

        try
        {
            return node.GetStringValue();
        }
        catch (Exception e) when (IsRecoverable(e))
        {
            return null;
        }
    }
}
