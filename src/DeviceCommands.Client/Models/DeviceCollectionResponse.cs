using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>The answer of <c>GET me/devices</c>: <c>{"value":[device, ...]}</c>, perhaps with an <c>@odata.nextLink</c>.</summary>
public partial class DeviceCollectionResponse : IAdditionalDataHolder, IParsable, ITolerantModel
{
    private static readonly FieldTable<DeviceCollectionResponse> Fields = new(
    [
        new("value", static (m, n, k) => m.Value = TolerantReader.ReadCollection(n, m, k, Device.CreateFromDiscriminatorValue)),
        new("@odata.nextLink", static (m, n, k) => m.OdataNextLink = TolerantReader.ReadString(n, m, k)),
    ]);

    private IDictionary<string, object>? _additionalData;

    /// <summary>Properties the model does not know (for example <c>@odata.context</c>), by the name they were sent with.</summary>
    public IDictionary<string, object> AdditionalData
    {
        get => _additionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
        set => _additionalData = value;
    }

    /// <summary>The devices of this page.</summary>
    public List<Device>? Value { get; set; }

    /// <summary>The URL of the next page, if any: pass it to <c>client.Me.Devices.WithUrl(...)</c>.</summary>
    public string? OdataNextLink { get; set; }

    void ITolerantModel.TrimAdditionalData()
    {
        if (_additionalData is { Count: 0 })
        {
            _additionalData = null;
        }
    }

    bool ITolerantModel.HasValues => Value is not null || OdataNextLink is not null || _additionalData is { Count: > 0 };

    /// <summary>Creates a new instance for a parse node (Kiota's factory convention).</summary>
    /// <param name="parseNode">The node to read.</param>
    /// <returns>A new, empty response.</returns>
    public static DeviceCollectionResponse CreateFromDiscriminatorValue(IParseNode parseNode)
    {
        ArgumentNullException.ThrowIfNull(parseNode);
        return new DeviceCollectionResponse();
    }

    /// <summary>The tolerant readers of this model's properties, matching names in any case.</summary>
    /// <returns>A read-only map from JSON name to reader.</returns>
    public virtual IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => Fields.For(this);

    /// <summary>Writes the response as camelCase JSON.</summary>
    /// <param name="writer">The writer.</param>
    public virtual void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteCollectionOfObjectValues("value", Value);
        ModelWriter.WriteString(writer, "@odata.nextLink", OdataNextLink);
        ModelWriter.WriteAdditionalData(writer, _additionalData, Fields);
    }
}
