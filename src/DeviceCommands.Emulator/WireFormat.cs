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

    /// <summary>A command with its status at one moment; a completed command carries its response payload.</summary>
    public static byte[] Command(StoredCommand command, StatusAt status, bool clean, bool wrap) => Write(writer =>
    {
        bool wrapped = wrap && !clean;
        if (wrapped)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
        }

        writer.WriteStartObject();
        writer.WriteString("id", command.Id);
        writer.WriteString("status", status.Status);
        WriteNullable(writer, "type", command.Type, clean);
        WriteNullable(writer, "appServiceName", command.AppServiceName, clean);
        WriteNullable(writer, "packageFamilyName", command.PackageFamilyName, clean);
        WriteNullable(writer, "error", status.Error, clean);
        if (status.CompletedAt is { } date)
        {
            writer.WritePropertyName(clean ? "responsePayload" : "responsepayload");
            WritePayloadResponse(writer, command, date, clean);
        }
        else
        {
            WriteNullable(writer, clean ? "responsePayload" : "responsepayload", null, clean);
        }

        WriteJsonOrNull(writer, "payload", command.Payload, clean);
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
    /// The reference page's body, <c>{"@odata.context":..,"MsIgnoredParameter":0,"CreationDate":"MM/dd/yyyy","Type":"Ok"}</c>,
    /// for every completed command; an AppService command adds its app's answer (an echo of the command's payload,
    /// every key kept) under <c>AppServiceResponse</c>. Clean mode spells the same content in camelCase, with the
    /// creation date (midnight UTC of the completion day) in ISO 8601, and omits a null answer.
    /// </summary>
    private static void WritePayloadResponse(Utf8JsonWriter writer, StoredCommand command, DateTimeOffset completedAt, bool clean)
    {
        DateTime day = completedAt.UtcDateTime.Date;
        writer.WriteStartObject();
        writer.WriteString("@odata.context", PayloadContext);
        writer.WriteNumber(clean ? "msIgnoredParameter" : "MsIgnoredParameter", 0);
        if (clean)
        {
            writer.WriteString("creationDate", new DateTimeOffset(day, TimeSpan.Zero));
        }
        else
        {
            writer.WriteString("CreationDate", day.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
        }

        writer.WriteString(clean ? "type" : "Type", "Ok");
        if (command.Type == RequestParsing.AppService)
        {
            WriteJsonOrNull(writer, clean ? "appServiceResponse" : "AppServiceResponse", command.Payload, clean);
        }

        writer.WriteEndObject();
    }

    /// <summary>Free JSON as it was sent; a missing one is spelled like any null (quirky <c>"null"</c>, clean omitted).</summary>
    private static void WriteJsonOrNull(Utf8JsonWriter writer, string name, JsonElement? value, bool clean)
    {
        if (value is { } json)
        {
            writer.WritePropertyName(name);
            json.WriteTo(writer);
        }
        else
        {
            WriteNullable(writer, name, null, clean);
        }
    }

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

    /// <summary>Writes JSON to a new array, with the readable escaping of every body.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
