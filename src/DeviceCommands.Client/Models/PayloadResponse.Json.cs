using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Models;

public partial class PayloadResponse
{
    // the answer's own level around values that may each be as deep as a payload
    private static readonly JsonDocumentOptions Depth = new() { MaxDepth = Serialization.JsonPayload.MaxDepth + 1 };

    /// <summary>
    /// The whole answer as JSON: the documented properties (<c>type</c>, <c>creationDate</c>,
    /// <c>msIgnoredParameter</c>) and everything else it carried (an app service's own answer included), as
    /// <see cref="AdditionalData"/> kept it.
    /// </summary>
    /// <returns>A <see cref="JsonElement"/> that does not depend on anything else.</returns>
    /// <exception cref="ArgumentException">A value in <see cref="AdditionalData"/> is nested deeper than
    /// <see cref="Serialization.JsonPayload.MaxDepth"/>.</exception>
    public JsonElement ToJson()
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, this);
        using var document = JsonDocument.Parse(writer.GetSerializedContent(), Depth);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The whole answer (see <see cref="ToJson"/>) read into a value of your own type by System.Text.Json with your
    /// source-generated metadata: for an app service's answer, a type with its properties (and, with
    /// <c>PropertyNameCaseInsensitive</c>, any spelling).
    /// </summary>
    /// <typeparam name="T">Your type.</typeparam>
    /// <param name="typeInfo">Its metadata, e.g. <c>MyJsonContext.Default.AppAnswer</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The answer does not fit the type.</exception>
    public T? As<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return ToJson().Deserialize(typeInfo);
    }
}
