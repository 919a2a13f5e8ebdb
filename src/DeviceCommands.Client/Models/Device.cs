using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>
/// A device of the signed-in user, as listed by <c>GET me/devices</c>. The service lists devices in
/// PascalCase (<c>"Name"</c>, <c>"Kind"</c>) except for <c>id</c>; any case reads.
/// </summary>
public partial class Device : IAdditionalDataHolder, IParsable, ITolerantModel
{
    private static readonly FieldTable<Device> Fields = new(
    [
        new("id", static (m, n, k) => m.Id = TolerantReader.ReadString(n, m, k)),
        new("name", static (m, n, k) => m.Name = TolerantReader.ReadString(n, m, k)),
        new("kind", static (m, n, k) => m.Kind = TolerantReader.ReadString(n, m, k)),
        new("manufacturer", static (m, n, k) => m.Manufacturer = TolerantReader.ReadString(n, m, k)),
        new("model", static (m, n, k) => m.Model = TolerantReader.ReadString(n, m, k)),
        new("platform", static (m, n, k) => m.Platform = TolerantReader.ReadString(n, m, k)),
        new("status", static (m, n, k) => m.Status = TolerantReader.ReadString(n, m, k)),
        new("value", static (m, n, k) => TolerantReader.ReadObject(n, m, k, _ => m)),
    ]);

    private IDictionary<string, object>? _additionalData;

    /// <summary>Properties the model does not know, and values that could not be typed, by the name they were sent with.</summary>
    public IDictionary<string, object> AdditionalData
    {
        get => _additionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
        set => _additionalData = value;
    }

    /// <summary>The device's id: pass it to <c>client.Me.Devices[id]</c>.</summary>
    public string? Id { get; set; }

    /// <summary>The device's display name.</summary>
    public string? Name { get; set; }

    /// <summary>The form factor, for example <c>Tablet</c> or <c>Phone</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The manufacturer.</summary>
    public string? Manufacturer { get; set; }

    /// <summary>The model.</summary>
    public string? Model { get; set; }

    /// <summary>The platform, for example <c>Windows</c> or <c>Android</c>.</summary>
    public string? Platform { get; set; }

    /// <summary>The device's connection status: <c>online</c>, <c>offline</c> or, in the reference example, <c>Unknown</c>.</summary>
    public string? Status { get; set; }

    void ITolerantModel.TrimAdditionalData()
    {
        if (_additionalData is { Count: 0 })
        {
            _additionalData = null;
        }
    }

    bool ITolerantModel.HasValues =>
        Id is not null || Name is not null || Kind is not null || Manufacturer is not null || Model is not null
        || Platform is not null || Status is not null || _additionalData is { Count: > 0 };

    /// <summary>Creates a new instance for a parse node (Kiota's factory convention).</summary>
    /// <param name="parseNode">The node to read.</param>
    /// <returns>A new, empty device.</returns>
    public static Device CreateFromDiscriminatorValue(IParseNode parseNode)
    {
        ArgumentNullException.ThrowIfNull(parseNode);
        return new Device();
    }

    /// <summary>The tolerant readers of this model's properties, matching names in any case.</summary>
    /// <returns>A read-only map from JSON name to reader.</returns>
    public virtual IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => Fields.For(this);

    /// <summary>Writes the device as camelCase JSON.</summary>
    /// <param name="writer">The writer.</param>
    public virtual void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ModelWriter.WriteString(writer, "id", Id);
        ModelWriter.WriteString(writer, "name", Name);
        ModelWriter.WriteString(writer, "kind", Kind);
        ModelWriter.WriteString(writer, "manufacturer", Manufacturer);
        ModelWriter.WriteString(writer, "model", Model);
        ModelWriter.WriteString(writer, "platform", Platform);
        ModelWriter.WriteString(writer, "status", Status);
        ModelWriter.WriteAdditionalData(writer, _additionalData, Fields);
    }
}
