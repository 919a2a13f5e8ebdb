using System.Text.Json;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Admin;

/// <summary>Reads the admin API's JSON bodies; a bad one throws <see cref="ArgumentException"/> (answered 400).</summary>
internal static class AdminBodies
{
    /// <summary>A device from a JSON object; with <paramref name="current"/>, only the properties present change it.</summary>
    public static EmulatedDevice ReadDevice(byte[] body, EmulatedDevice? current)
    {
        using JsonDocument document = ReadObject(body);
        JsonElement root = document.RootElement;
        EmulatedDevice device = current ?? new EmulatedDevice(RequiredString(root, "id"));
        if (current is not null && OptionalString(root, "id") is { } id && id != current.Id)
        {
            throw new ArgumentException($"The device's id cannot change (it is '{current.Id}').");
        }

        return device with
        {
            Name = Has(root, "name") ? OptionalString(root, "name") ?? "Emulated device" : device.Name,
            Kind = Has(root, "kind") ? OptionalString(root, "kind") : device.Kind,
            Manufacturer = Has(root, "manufacturer") ? OptionalString(root, "manufacturer") : device.Manufacturer,
            Model = Has(root, "model") ? OptionalString(root, "model") : device.Model,
            Platform = Has(root, "platform") ? OptionalString(root, "platform") : device.Platform,
            Status = Has(root, "status") ? OptionalString(root, "status") : device.Status,
            Error = Has(root, "error") ? OptionalString(root, "error") : device.Error,
            Behavior = Has(root, "behavior") ? ParseBehavior(OptionalString(root, "behavior")) : device.Behavior,
        };
    }

    private static DeviceBehavior ParseBehavior(string? text) =>
        DeviceBehaviorNames.TryParse(text, out DeviceBehavior behavior) ? behavior
            : throw new ArgumentException($"'behavior' must be one of {string.Join(", ", DeviceBehaviorNames.All)}.");

    public static JsonDocument ReadObject(byte[] body)
    {
        JsonDocument document = RequestParsing.ParseJson(body, out string? problem) ?? throw new ArgumentException(problem);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ArgumentException("The body must be a JSON object.");
        }

        return document;
    }

    public static bool Has(JsonElement root, string name) => RequestParsing.Get(root, name) is not null;

    public static string? OptionalString(JsonElement root, string name) => RequestParsing.Get(root, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new ArgumentException($"'{name}' must be a string."),
    };

    public static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) is { Length: > 0 } value ? value : throw new ArgumentException($"'{name}' is required: a non-empty string.");

    public static int? OptionalInt(JsonElement root, string name) => RequestParsing.Get(root, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int number) => number,
        _ => throw new ArgumentException($"'{name}' must be a whole number."),
    };
}
