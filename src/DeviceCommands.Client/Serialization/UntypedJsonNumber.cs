using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// A JSON number kept as its text: one that no .NET number holds exactly (<c>1e400</c>, <c>-1e309</c>, a decimal with
/// more digits than <see cref="decimal"/> or <see cref="double"/> keep). Payloads read such numbers into this node, and
/// it is written back exactly as it came, so a payload round-trips without turning a number into infinity or losing digits.
/// </summary>
public sealed class UntypedJsonNumber : UntypedNode
{
    private readonly string text;

    /// <summary>A number node from its JSON text.</summary>
    /// <param name="text">A JSON number, such as <c>1e400</c> or <c>0.1000000000000000000000000000001</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or not a JSON number.</exception>
    public UntypedJsonNumber(string text)
    {
        if (!JsonNumberText.IsNumber(text))
        {
            throw new ArgumentException("The text is not a JSON number (a JSON number looks like -12.5e3).", nameof(text));
        }

        this.text = text;
    }

    /// <summary>The number's JSON text, as it was read or given.</summary>
    /// <returns>The text.</returns>
    public new string GetValue() => text;

    /// <summary>The number's JSON text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => text;

    /// <summary>Writes the number as it is.</summary>
    internal void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(text, skipInputValidation: true);
}
