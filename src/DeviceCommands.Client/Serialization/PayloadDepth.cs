using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// The one nesting limit of free JSON (a command's payload, an answer's own properties), the same when a payload is
/// built, read from the service and written: <see cref="JsonPayload.MaxDepth"/> objects and arrays inside each other.
/// A scalar is 0 deep, <c>{}</c> 1, <c>{"a":[1]}</c> 2.
/// </summary>
internal static class PayloadDepth
{
    /// <summary>The levels a response body may have around a payload (the body, a model, a list and its item).</summary>
    public const int Envelope = 4;

    /// <summary>The message for a value past the limit.</summary>
    public static string TooDeep(string what) =>
        $"{what} is nested deeper than {JsonPayload.MaxDepth} levels of objects and arrays, the most a payload may have (JsonPayload.MaxDepth), read or written.";

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="node"/> is nested deeper than the limit.</summary>
    public static void Require(UntypedNode? node, string paramName, int enclosing = 0)
    {
        if (node is not null && Exceeds(node, JsonPayload.MaxDepth - enclosing))
        {
            throw new ArgumentException(TooDeep($"The value of '{paramName}'"), paramName);
        }
    }

    /// <summary>Whether <paramref name="node"/> has more than <paramref name="allowed"/> levels (it stops looking past them).</summary>
    public static bool Exceeds(UntypedNode node, int allowed) => node switch
    {
        UntypedObject o => allowed <= 0 || o.GetValue().Values.Any(v => v is not null && Exceeds(v, allowed - 1)),
        UntypedArray a => allowed <= 0 || a.GetValue().Any(v => v is not null && Exceeds(v, allowed - 1)),
        _ => false,
    };

    /// <summary>Whether a JSON text (comments and trailing commas allowed) is nested deeper than the limit plus <paramref name="envelope"/>.</summary>
    public static bool Exceeds(ReadOnlySpan<byte> json, int envelope)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = int.MaxValue,
        });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= JsonPayload.MaxDepth + envelope)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // broken JSON before the limit was passed: not too deep, just not JSON
        }

        return false;
    }
}

/// <summary>
/// A value read from JSON is nested deeper than <see cref="JsonPayload.MaxDepth"/>. Internal: the public entry points
/// turn it into an <see cref="ArgumentException"/> (a payload given by the caller) or an
/// <see cref="Microsoft.Kiota.Abstractions.ApiException"/> (an answer from the service).
/// </summary>
internal sealed class PayloadTooDeepException(string message) : JsonException(message);
