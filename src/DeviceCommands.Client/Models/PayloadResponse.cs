using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>
/// The response payload of a command (<c>GET me/devices/{id}/commands/{id}/responsePayload</c>): what an app
/// service sent back. The service sends it in PascalCase with a US date (<c>"CreationDate":"04/27/2017"</c>);
/// both read, as does the placeholder <c>"date-time"</c> (as null, kept in <see cref="AdditionalData"/>).
/// </summary>
public partial class PayloadResponse : IAdditionalDataHolder, IParsable, ITolerantModel
{
    private static readonly FieldTable<PayloadResponse> Fields = new(
    [
        new("type", static (m, n, k) => m.Type = TolerantReader.ReadString(n, m, k)),
        new("creationDate", static (m, n, k) => m.CreationDate = TolerantReader.ReadDateTimeOffset(n, m, k)),
        new("msIgnoredParameter", static (m, n, k) => m.MsIgnoredParameter = TolerantReader.ReadInt32(n, m, k)),
        new("value", static (m, n, k) => TolerantReader.ReadObject(n, m, k, _ => m)),
    ]);

    private IDictionary<string, object>? _additionalData;

    /// <summary>Everything else the app service sent back (for example its echo of the request), by the name it was sent with.</summary>
    public IDictionary<string, object> AdditionalData
    {
        get => _additionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
        set => _additionalData = value;
    }

    /// <summary>The kind of answer, for example <c>Ok</c>.</summary>
    public string? Type { get; set; }

    /// <summary>When the answer was created; <see langword="null"/> when absent or not a date.</summary>
    public DateTimeOffset? CreationDate { get; set; }

    /// <summary>A parameter the service documents and ignores.</summary>
    public int? MsIgnoredParameter { get; set; }

    void ITolerantModel.TrimAdditionalData()
    {
        if (_additionalData is { Count: 0 })
        {
            _additionalData = null;
        }
    }

    bool ITolerantModel.HasValues =>
        Type is not null || CreationDate is not null || MsIgnoredParameter is not null || _additionalData is { Count: > 0 };

    /// <summary>Creates a new instance for a parse node (Kiota's factory convention).</summary>
    /// <param name="parseNode">The node to read.</param>
    /// <returns>A new, empty payload response.</returns>
    public static PayloadResponse CreateFromDiscriminatorValue(IParseNode parseNode)
    {
        ArgumentNullException.ThrowIfNull(parseNode);
        return new PayloadResponse();
    }

    /// <summary>The tolerant readers of this model's properties, matching names in any case.</summary>
    /// <returns>A read-only map from JSON name to reader.</returns>
    public virtual IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => Fields.For(this);

    /// <summary>Writes the payload response as camelCase JSON.</summary>
    /// <param name="writer">The writer.</param>
    public virtual void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ModelWriter.WriteString(writer, "type", Type);
        writer.WriteDateTimeOffsetValue("creationDate", CreationDate);
        writer.WriteIntValue("msIgnoredParameter", MsIgnoredParameter);
        ModelWriter.WriteAdditionalData(writer, _additionalData, Fields);
    }
}
