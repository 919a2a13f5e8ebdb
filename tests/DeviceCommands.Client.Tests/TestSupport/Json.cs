using System.Text;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>Reads and writes models through Kiota's stock JSON parse node and writer, as any Kiota adapter would.</summary>
internal static class Json
{
    public static T Read<T>(string json, ParsableFactory<T> factory)
        where T : IParsable
    {
        using var document = JsonDocument.Parse(json);
        return new JsonParseNode(document.RootElement).GetObjectValue(factory);
    }

    public static string Write(IParsable model)
    {
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, model);
        using var stream = writer.GetSerializedContent();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Compares two JSON texts by value, ignoring white space and property order.</summary>
    public static bool SameJson(string expected, string actual)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        return JsonElement.DeepEquals(a.RootElement, b.RootElement);
    }
}
