using System.Text.Json;
using System.Text.Unicode;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// Parses a response body for the models: past a UTF-8 byte-order mark, with comments and trailing commas allowed.
/// Bad bytes drop only what they touch: a string that cannot be decoded (an invalid UTF-8 byte, an escaped lone
/// surrogate) is dropped with the property or array item it belongs to, and the rest is read.
/// </summary>
internal static class JsonBody
{
    // room for a payload as deep as the limit inside its envelope; the payload's own depth is checked as it is read
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = JsonPayload.MaxDepth + PayloadDepth.Envelope,
    };

    /// <summary>
    /// Parses <paramref name="body"/>; throws <see cref="JsonException"/> when it is not JSON, and
    /// <see cref="PayloadTooDeepException"/> when it is nested deeper than a payload may be inside a body.
    /// </summary>
    /// <param name="body">The body's bytes.</param>
    /// <param name="careful">Set when the body may hold strings that cannot be decoded (the root node must then be made careful).</param>
    /// <returns>The document; the caller disposes it.</returns>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body, out bool careful)
    {
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        // both tests are vectorised scans: a clean body pays a few nanoseconds, and only a suspect one is read carefully
        careful = !Utf8.IsValid(body.Span) || body.Span.IndexOf("\\ud"u8) >= 0 || body.Span.IndexOf("\\uD"u8) >= 0;
        try
        {
            return JsonDocument.Parse(body, Options);
        }
        catch (JsonException) when (PayloadDepth.Exceeds(body.Span, PayloadDepth.Envelope))
        {
            throw new PayloadTooDeepException(PayloadDepth.TooDeep("The body"));
        }
    }

    /// <summary>The node that reads a parsed body into a model.</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="careful">What <see cref="Parse"/> said.</param>
    /// <returns>The node.</returns>
    public static JsonElementParseNode Root(JsonElement root, bool careful) =>
        new(root, careful) { OnAfterAssignFieldValues = TolerantReader.MaterializeAdditionalData };
}
