using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Found by the round-trip properties: Kiota's writer drops an empty property name, so a payload such as
/// <c>{"":{"a":1}}</c> (or an unknown property named "") threw InvalidOperationException on write, or wrote invalid JSON.
/// </summary>
public class EmptyPropertyNameWriteTests
{
    [Theory]
    [InlineData("{\"\":{\"a\":1}}")]
    [InlineData("{\"a\":1,\"\":[1,{\"\":\"x\"}]}")]
    [InlineData("{\"\":1}")]
    [InlineData("[{\"\":null}]")]
    public void A_payload_with_an_empty_name_is_written_exactly(string payload)
    {
        using var document = System.Text.Json.JsonDocument.Parse(payload);
        var command = new Command { Type = "AppService", Payload = JsonPayload.FromValue(document.RootElement) };

        var written = Json.Write(command);

        Assert.True(Json.SameJson("{\"type\":\"AppService\",\"payload\":" + payload + "}", written), written);
    }

    [Fact]
    public void An_unknown_property_named_empty_is_written_back()
    {
        var command = Json.Read("{\"id\":\"c1\",\"\":{\"\":2},\"x\":3}", Command.CreateFromDiscriminatorValue);

        Assert.True(Json.SameJson("{\"id\":\"c1\",\"\":{\"\":2},\"x\":3}", Json.Write(command)), Json.Write(command));
    }
}
