using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DeviceCommands.Emulator;

/// <summary>
/// Writes the service's JSON with <see cref="Utf8JsonWriter"/> (no reflection). Quirky mode copies the reference
/// pages: PascalCase device and payload keys (except <c>id</c>), the string <c>"null"</c> for null command
/// properties, the key <c>responsepayload</c>, US <c>MM/dd/yyyy</c> dates. Clean mode writes camelCase keys,
/// omits nulls and writes ISO 8601 dates.
/// </summary>
internal static class WireFormat
{
    // Readable text (quotes and control characters are still escaped); the body is JSON, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string PayloadContext = "https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse";

    public static byte[] Error(string code, string message) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static byte[] Devices(IReadOnlyList<EmulatedDevice> devices, bool clean) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("value");
        foreach (EmulatedDevice device in devices)
        {
            // The order of the reference example: {"Name":..,"id":..,"Kind":..,"Status":..,"Platform":..}
            writer.WriteStartObject();
            WriteOptional(writer, clean ? "name" : "Name", device.Name);
            writer.WriteString("id", device.Id);
            WriteOptional(writer, clean ? "kind" : "Kind", device.Kind);
            WriteOptional(writer, clean ? "status" : "Status", device.Status);
            WriteOptional(writer, clean ? "platform" : "Platform", device.Platform);
            WriteOptional(writer, clean ? "manufacturer" : "Manufacturer", device.Manufacturer);
            WriteOptional(writer, clean ? "model" : "Model", device.Model);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>A command. <paramref name="completedAt"/> is set when a response payload exists (a completed AppService command).</summary>
    public static byte[] Command(StoredCommand command, string status, string? error, DateTimeOffset? completedAt, bool clean, bool wrap) => Write(writer =>
    {
        bool wrapped = wrap && !clean;
        if (wrapped)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
        }

        writer.WriteStartObject();
        writer.WriteString("id", command.Id);
        writer.WriteString("status", status);
        writer.WriteString("type", command.Type);
        WriteNullable(writer, "appServiceName", command.AppServiceName, clean);
        WriteNullable(writer, "packageFamilyName", command.PackageFamilyName, clean);
        WriteNullable(writer, "error", error, clean);
        if (completedAt is { } date)
        {
            writer.WritePropertyName(clean ? "responsePayload" : "responsepayload");
            WritePayloadResponse(writer, command, date, clean);
        }
        else
        {
            WriteNullable(writer, clean ? "responsePayload" : "responsepayload", null, clean);
        }

        if (command.Payload is { } payload)
        {
            writer.WritePropertyName("payload");
            payload.WriteTo(writer);
        }
        else
        {
            WriteNullable(writer, "payload", null, clean);
        }

        WriteNullable(writer, "permissionTicket", null, clean);
        WriteNullable(writer, "postBackUri", command.PostBackUri, clean);
        writer.WriteEndObject();
        if (wrapped)
        {
            writer.WriteEndObject();
        }
    });

    public static byte[] PayloadResponse(StoredCommand command, DateTimeOffset completedAt, bool clean) =>
        Write(writer => WritePayloadResponse(writer, command, completedAt, clean));

    /// <summary>
    /// Quirky: <c>{"@odata.context":..,"MsIgnoredParameter":0,"CreationDate":"MM/dd/yyyy","Type":"Ok", ...the request
    /// payload's properties}</c>. Clean: <c>{"@odata.context":..,"type":"Ok","creationDate":ISO 8601,"msIgnoredParameter":0,
    /// "payload":the request payload}</c>.
    /// </summary>
    private static void WritePayloadResponse(Utf8JsonWriter writer, StoredCommand command, DateTimeOffset completedAt, bool clean)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", PayloadContext);
        if (clean)
        {
            writer.WriteString("type", "Ok");
            writer.WriteString("creationDate", completedAt.ToUniversalTime());
            writer.WriteNumber("msIgnoredParameter", 0);
            if (command.Payload is { } payload)
            {
                writer.WritePropertyName("payload");
                payload.WriteTo(writer);
            }
        }
        else
        {
            writer.WriteNumber("MsIgnoredParameter", 0);
            writer.WriteString("CreationDate", completedAt.UtcDateTime.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
            writer.WriteString("Type", "Ok");
            if (command.Payload is { ValueKind: JsonValueKind.Object } payload)
            {
                foreach (JsonProperty property in payload.EnumerateObject())
                {
                    if (!IsReservedPayloadKey(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }
        }

        writer.WriteEndObject();
    }

    private static bool IsReservedPayloadKey(string name) =>
        name.Equals("@odata.context", StringComparison.OrdinalIgnoreCase)
        || name.Equals("MsIgnoredParameter", StringComparison.OrdinalIgnoreCase)
        || name.Equals("CreationDate", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Type", StringComparison.OrdinalIgnoreCase);

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Quirky: a null is the string <c>"null"</c>. Clean: a null is omitted.</summary>
    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value, bool clean)
    {
        if (value is not null || !clean)
        {
            writer.WriteString(name, value ?? "null");
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
