using System.Globalization;
using System.Text.Json;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Commands;

/// <summary>
/// A command and its response payload in the service's JSON. Quirky mode copies the reference pages: PascalCase payload
/// keys, the string <c>"null"</c> for null command properties, the key <c>responsepayload</c>, US <c>MM/dd/yyyy</c>
/// dates. Clean mode writes camelCase keys, omits nulls and writes ISO 8601 dates.
/// </summary>
internal static class CommandJson
{
    public const string PayloadContext = "https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse";

    /// <summary>A command with its status at one moment; a completed command carries its response payload.</summary>
    public static byte[] Command(StoredCommand command, StatusAt status, bool clean, bool wrap) => WireFormat.Write(writer =>
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
        WireFormat.WriteNullable(writer, "type", command.Type, clean);
        WireFormat.WriteNullable(writer, "appServiceName", command.AppServiceName, clean);
        WireFormat.WriteNullable(writer, "packageFamilyName", command.PackageFamilyName, clean);
        WireFormat.WriteNullable(writer, "error", status.Error, clean);
        if (status.CompletedAt is { } date)
        {
            writer.WritePropertyName(clean ? "responsePayload" : "responsepayload");
            WritePayloadResponse(writer, command, date, clean);
        }
        else
        {
            WireFormat.WriteNullable(writer, clean ? "responsePayload" : "responsepayload", null, clean);
        }

        WriteJsonOrNull(writer, "payload", command.Payload, clean);
        WireFormat.WriteNullable(writer, "permissionTicket", null, clean);
        WireFormat.WriteNullable(writer, "postBackUri", command.PostBackUri, clean);
        writer.WriteEndObject();
        if (wrapped)
        {
            writer.WriteEndObject();
        }
    });

    public static byte[] PayloadResponse(StoredCommand command, DateTimeOffset completedAt, bool clean) =>
        WireFormat.Write(writer => WritePayloadResponse(writer, command, completedAt, clean));

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
            WireFormat.WriteNullable(writer, name, null, clean);
        }
    }
}
