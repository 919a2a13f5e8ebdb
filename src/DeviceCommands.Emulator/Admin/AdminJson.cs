using System.Text.Json;
using DeviceCommands.Emulator.Commands;
using DeviceCommands.Emulator.State;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Admin;

/// <summary>The admin API's answers, written with <see cref="Utf8JsonWriter"/>: camelCase, nulls written.</summary>
internal static class AdminJson
{
    public static byte[] Summary(EmulatorState state, Uri baseUrl) => WireFormat.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("baseUrl", baseUrl.AbsoluteUri);
        writer.WriteNumber("requestCount", state.Store.RequestCount);
        writer.WriteNumber("postCount", state.Store.PostCount);
        writer.WriteNumber("duplicatePostCount", state.Store.DuplicatePostCount);
        writer.WriteNumber("postBackCount", state.PostBackSender.Sent);
        writer.WriteNumber("postBackDroppedCount", state.PostBackSender.Dropped);
        writer.WriteNumber("postBackRefusedCount", state.PostBackSender.Refused);
        writer.WriteNumber("postBackFailedCount", state.PostBackSender.Failed);
        writer.WriteNumber("lostAnswerCount", state.LostAnswers.Count);
        writer.WriteNumber("devices", state.Devices.Count);
        writer.WriteNumber("commands", state.Store.All().Length);
        writer.WriteNumber("pendingAnswers", state.Script.PendingAnswers);
        writer.WriteEndObject();
    });

    public static byte[] DevicesJson(EmulatorState state) => WireFormat.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (EmulatedDevice device in state.Devices)
        {
            WriteDevice(writer, device);
        }

        writer.WriteEndArray();
    });

    public static byte[] DeviceJson(EmulatedDevice device) => WireFormat.Write(writer => WriteDevice(writer, device));

    private static void WriteDevice(Utf8JsonWriter writer, EmulatedDevice device)
    {
        writer.WriteStartObject();
        writer.WriteString("id", device.Id);
        writer.WriteString("name", device.Name);
        writer.WriteString("kind", device.Kind);
        writer.WriteString("manufacturer", device.Manufacturer);
        writer.WriteString("model", device.Model);
        writer.WriteString("platform", device.Platform);
        writer.WriteString("status", device.Status);
        writer.WriteString("behavior", DeviceBehaviorNames.NameOf(device.Behavior));
        writer.WriteString("error", device.Error);
        writer.WriteEndObject();
    }

    public static byte[] CommandsJson(EmulatorState state) => WireFormat.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (StoredCommand command in state.Store.All())
        {
            StatusAt status = state.StatusOf(command);
            writer.WriteStartObject();
            writer.WriteString("id", command.Id);
            writer.WriteString("deviceId", command.DeviceId);
            writer.WriteString("type", command.Type);
            writer.WriteString("status", status.Status);
            writer.WriteString("error", status.Error);
            writer.WriteString("createdAt", command.CreatedAt);
            writer.WriteString("clientRequestId", command.ClientRequestId);
            writer.WriteString("requestBody", command.RequestBody);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static byte[] RequestsJson(EmulatorState state) => WireFormat.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (RecordedRequest request in state.Requests.Snapshot())
        {
            writer.WriteStartObject();
            writer.WriteString("method", request.Method);
            writer.WriteString("path", request.Path);
            writer.WriteStartObject("headers");
            foreach ((string name, string value) in request.Headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteString("body", request.Body);
            writer.WriteString("receivedAt", request.ReceivedAt);
            if (request.StatusCode is { } status)
            {
                writer.WriteNumber("statusCode", status);
            }
            else
            {
                writer.WriteNull("statusCode");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });
}
