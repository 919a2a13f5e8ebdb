using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>
/// A command sent to a device: the body of <c>POST me/devices/{id}/commands</c> and the answer of
/// <c>GET me/devices/{id}/commands/{id}</c>.
/// </summary>
/// <remarks>
/// Read tolerantly (see the package README): names match in any case, <c>"null"</c> strings read as null,
/// a <c>{"value":{...}}</c> wrapper reads as the command, an unknown status reads as <see cref="Status"/>
/// <see langword="null"/> with its text in <see cref="RawStatus"/>. Values that cannot be typed stay in
/// <see cref="AdditionalData"/> under the name they were sent with.
/// </remarks>
public partial class Command : IAdditionalDataHolder, IParsable, ITolerantModel
{
    // made once: the reader of responsePayload would otherwise make this delegate for every command read
    private static readonly ParsableFactory<PayloadResponse> NewPayloadResponse = PayloadResponse.CreateFromDiscriminatorValue;

    private static readonly FieldTable<Command> Fields = new(
    [
        new("id", static (m, n, k) => m.Id = TolerantReader.ReadString(n, m, k)),
        new("status", static (m, n, k) =>
        {
            // a known status as the service spells it is that constant, not a new string per read
            m.RawStatus = (n as JsonElementParseNode)?.KnownString(ActionStatusExtensions.WireValues) ?? TolerantReader.ReadString(n, m, k);
            m.Status = ActionStatusExtensions.TryParse(m.RawStatus, out var status) ? status : null;
        }),
        new("type", static (m, n, k) => m.Type = TolerantReader.ReadString(n, m, k)),
        new("appServiceName", static (m, n, k) => m.AppServiceName = TolerantReader.ReadString(n, m, k)),
        new("packageFamilyName", static (m, n, k) => m.PackageFamilyName = TolerantReader.ReadString(n, m, k)),
        new("error", static (m, n, k) => m.Error = TolerantReader.ReadString(n, m, k)),
        new("permissionTicket", static (m, n, k) => m.PermissionTicket = TolerantReader.ReadString(n, m, k)),
        new("postBackUri", static (m, n, k) => m.PostBackUri = TolerantReader.ReadString(n, m, k)),
        new("responsePayload", static (m, n, k) => m.ResponsePayload = TolerantReader.ReadObject(n, m, k, NewPayloadResponse)),
        new("payload", static (m, n, k) => m.Payload = TolerantReader.ReadJson(n)),
        new("value", static (m, n, k) => m.ReadWrapped(n, k)),
    ]);

    private IDictionary<string, object>? _additionalData;

    /// <summary>Properties the model does not know, and values that could not be typed, by the name they were sent with.</summary>
    public IDictionary<string, object> AdditionalData
    {
        get => _additionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
        set => _additionalData = value;
    }

    /// <summary>The command's id, an opaque string chosen by the service.</summary>
    public string? Id { get; set; }

    /// <summary>The command's status; <see langword="null"/> when absent or when the service sent a status this version does not know (see <see cref="RawStatus"/>).</summary>
    public ActionStatus? Status { get; set; }

    /// <summary>The status exactly as the service sent it, known or not (for example <c>"queuedForLater"</c>).</summary>
    /// <remarks>Written back as the status when <see cref="Status"/> is <see langword="null"/>.</remarks>
    public string? RawStatus { get; set; }

    /// <summary>The command's type: <c>LaunchUri</c> or <c>AppService</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The app service to call, for an <c>AppService</c> command.</summary>
    public string? AppServiceName { get; set; }

    /// <summary>The package family name of the app that hosts the app service.</summary>
    public string? PackageFamilyName { get; set; }

    /// <summary>The error the device or service reported, if any.</summary>
    public string? Error { get; set; }

    /// <summary>The permission ticket of the command.</summary>
    public string? PermissionTicket { get; set; }

    /// <summary>Where the device posts back (the send page spells it <c>postbackURI</c>; both spellings read).</summary>
    public string? PostBackUri { get; set; }

    /// <summary>The response payload, when the service puts it inline (sent as <c>responsepayload</c> or <c>responsePayload</c>).</summary>
    public PayloadResponse? ResponsePayload { get; set; }

    /// <summary>
    /// The command's payload: any JSON (an object for the documented commands, but arrays, strings and
    /// numbers are read and written as they are). Build one with <see cref="JsonPayload.FromValue(object?)"/>.
    /// </summary>
    public UntypedNode? Payload { get; set; }

    void ITolerantModel.TrimAdditionalData()
    {
        if (_additionalData is { Count: 0 })
        {
            _additionalData = null;
        }
    }

    bool ITolerantModel.HasValues =>
        Id is not null || Status is not null || RawStatus is not null || Type is not null || AppServiceName is not null
        || PackageFamilyName is not null || Error is not null || PermissionTicket is not null || PostBackUri is not null
        || ResponsePayload is not null || Payload is not null || _additionalData is { Count: > 0 };

    /// <summary>A <c>LaunchUri</c> command: <c>{"type":"LaunchUri","payload":{"uri":"..."}}</c>.</summary>
    /// <param name="uri">The absolute URI the device opens.</param>
    /// <returns>The command to send.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="uri"/> is not absolute.</exception>
    public static Command LaunchUri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("A LaunchUri command needs an absolute URI.", nameof(uri));
        }

        return new Command
        {
            Type = "LaunchUri",
            Payload = new UntypedObject(new Dictionary<string, UntypedNode> { ["uri"] = new UntypedString(uri.AbsoluteUri) }),
        };
    }

    /// <summary>
    /// An <c>AppService</c> command: <c>{"type":"AppService","appServiceName":...,"packageFamilyName":...,"payload":{...}}</c>.
    /// </summary>
    /// <param name="appServiceName">The app service, for example <c>com.microsoft.test.cdppingpongservice</c>.</param>
    /// <param name="packageFamilyName">The package family name of the app that hosts it.</param>
    /// <param name="payload">The values sent to the app service (see <see cref="JsonPayload.FromValue(object?)"/> for the types allowed); null sends an empty object.</param>
    /// <returns>The command to send.</returns>
    /// <exception cref="ArgumentException">A name is null, empty or white space, or a payload value has no JSON form.</exception>
#pragma warning disable RS0027 // the contract fixes this overload's optional payload; the typed overload beside it takes its own four arguments
    public static Command AppService(string appServiceName, string packageFamilyName, IDictionary<string, object?>? payload = null)
#pragma warning restore RS0027
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appServiceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(packageFamilyName);
        return new Command
        {
            Type = "AppService",
            AppServiceName = appServiceName,
            PackageFamilyName = packageFamilyName,
            Payload = JsonPayload.FromDictionary(payload ?? new Dictionary<string, object?>()),
        };
    }

    /// <summary>Creates a new instance for a parse node (Kiota's factory convention).</summary>
    /// <param name="parseNode">The node to read.</param>
    /// <returns>A new, empty command.</returns>
    public static Command CreateFromDiscriminatorValue(IParseNode parseNode)
    {
        ArgumentNullException.ThrowIfNull(parseNode);
        return new Command();
    }

    /// <summary>The tolerant readers of this model's properties, matching names in any case.</summary>
    /// <returns>A read-only map from JSON name to reader.</returns>
    public virtual IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => Fields.For(this);

    /// <summary>Writes the command as the service's documented camelCase JSON.</summary>
    /// <param name="writer">The writer.</param>
    public virtual void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ModelWriter.WriteString(writer, "id", Id);
        ModelWriter.WriteString(writer, "status", Status?.ToWireValue() ?? RawStatus);
        ModelWriter.WriteString(writer, "type", Type);
        ModelWriter.WriteString(writer, "appServiceName", AppServiceName);
        ModelWriter.WriteString(writer, "packageFamilyName", PackageFamilyName);
        ModelWriter.WriteString(writer, "error", Error);
        ModelWriter.WriteString(writer, "permissionTicket", PermissionTicket);
        ModelWriter.WriteString(writer, "postBackUri", PostBackUri);
        if (ResponsePayload is not null)
        {
            writer.WriteObjectValue("responsePayload", ResponsePayload);
        }

        if (Payload is not null && !TolerantReader.ReadsAsNull(Payload))
        {
            ModelWriter.WriteUntyped(writer, "payload", Payload);
        }

        ModelWriter.WriteAdditionalData(writer, _additionalData, Fields);
    }

    /// <summary>Reads a <c>{"value":{...}}</c> wrapper around a single command into this one.</summary>
    private void ReadWrapped(IParseNode node, string jsonName) => TolerantReader.ReadObject(node, this, jsonName, _ => this);
}
