using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DeviceCommands.Emulator.Wire;

/// <summary>
/// The primitives of the service's JSON, written with <see cref="Utf8JsonWriter"/> (no reflection): the OData error,
/// readable escaping, and the two spellings of a missing value (quirky <c>"null"</c>, clean omitted).
/// </summary>
internal static class WireFormat
{
    // Readable text (quotes and control characters are still escaped); the body is JSON, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Error(string code, string message) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Quirky: a null is the string <c>"null"</c>. Clean: a null is omitted.</summary>
    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value, bool clean)
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
