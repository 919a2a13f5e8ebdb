using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator;

/// <summary>The body of <c>GET me/devices</c>, quirky (the reference page's PascalCase keys) or clean (camelCase).</summary>
internal static class DeviceListJson
{
    public static byte[] Devices(IReadOnlyList<EmulatedDevice> devices, bool clean) => WireFormat.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("value");
        foreach (EmulatedDevice device in devices)
        {
            // The order of the reference example: {"Name":..,"id":..,"Kind":..,"Status":..,"Platform":..}
            writer.WriteStartObject();
            WireFormat.WriteOptional(writer, clean ? "name" : "Name", device.Name);
            writer.WriteString("id", device.Id);
            WireFormat.WriteOptional(writer, clean ? "kind" : "Kind", device.Kind);
            WireFormat.WriteOptional(writer, clean ? "status" : "Status", device.Status);
            WireFormat.WriteOptional(writer, clean ? "platform" : "Platform", device.Platform);
            WireFormat.WriteOptional(writer, clean ? "manufacturer" : "Manufacturer", device.Manufacturer);
            WireFormat.WriteOptional(writer, clean ? "model" : "Model", device.Model);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
