using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>The <c>error</c> object of an OData error body: <c>{"error":{"code":"...","message":"..."}}</c>.</summary>
public partial class MainError : IAdditionalDataHolder, IParsable, ITolerantModel
{
    private static readonly FieldTable<MainError> Fields = new(
    [
        new("code", static (m, n, k) => m.Code = TolerantReader.ReadString(n, m, k)),
        new("message", static (m, n, k) => m.Message = TolerantReader.ReadString(n, m, k)),
    ]);

    private IDictionary<string, object>? _additionalData;

    /// <summary>Everything else of the error (<c>target</c>, <c>details</c>, <c>innerError</c>), by the name it was sent with.</summary>
    public IDictionary<string, object> AdditionalData
    {
        get => _additionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
        set => _additionalData = value;
    }

    /// <summary>The service's error code, for example <c>ResourceNotFound</c>.</summary>
    public string? Code { get; set; }

    /// <summary>The service's message.</summary>
    public string? Message { get; set; }

    void ITolerantModel.TrimAdditionalData()
    {
        if (_additionalData is { Count: 0 })
        {
            _additionalData = null;
        }
    }

    bool ITolerantModel.HasValues => Code is not null || Message is not null || _additionalData is { Count: > 0 };

    /// <summary>Creates a new instance for a parse node (Kiota's factory convention).</summary>
    /// <param name="parseNode">The node to read.</param>
    /// <returns>A new, empty error.</returns>
    public static MainError CreateFromDiscriminatorValue(IParseNode parseNode)
    {
        ArgumentNullException.ThrowIfNull(parseNode);
        return new MainError();
    }

    /// <summary>The tolerant readers of this model's properties, matching names in any case.</summary>
    /// <returns>A read-only map from JSON name to reader.</returns>
    public virtual IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => Fields.For(this);

    /// <summary>Writes the error as camelCase JSON.</summary>
    /// <param name="writer">The writer.</param>
    public virtual void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ModelWriter.WriteString(writer, "code", Code);
        ModelWriter.WriteString(writer, "message", Message);
        ModelWriter.WriteAdditionalData(writer, _additionalData, Fields);
    }
}
