using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// The field deserializers a model hands to any parse node: each lookup gets a delegate of its own, so a caller that
/// holds several at once (as a parse node other than Kiota's stock one may) reads each into its own property.
/// </summary>
public class FieldMapTests
{
    private static IParseNode Node(string json) => new JsonParseNode(System.Text.Json.JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Delegates_looked_up_together_each_read_their_own_property()
    {
        var command = new Command();
        var fields = command.GetFieldDeserializers();

        var id = fields["id"];
        var type = fields["type"];
        Assert.True(fields.TryGetValue("error", out var error));
        error!(Node("\"oops\""));
        type(Node("\"LaunchUri\""));
        id(Node("\"c1\""));

        Assert.Equal(("c1", "LaunchUri", "oops"), (command.Id, command.Type, command.Error));
    }

    [Fact]
    public void A_delegate_used_again_after_another_lookup_still_reads_its_own_property()
    {
        var command = new Command();
        var fields = command.GetFieldDeserializers();

        var id = fields["id"];
        id(Node("\"c1\""));
        _ = fields["type"];
        id(Node("\"c9\""));

        Assert.Equal(("c9", null), (command.Id, command.Type));
    }

    [Fact]
    public void A_value_that_cannot_be_typed_is_kept_under_the_name_it_was_looked_up_with()
    {
        var command = new Command();

        command.GetFieldDeserializers()["RESPONSEPAYLOAD"](Node("\"not an object\""));

        Assert.Equal("not an object", command.AdditionalData["RESPONSEPAYLOAD"]);
    }

    [Fact]
    public void Enumerated_delegates_read_into_the_model_too()
    {
        var command = new Command();

        var all = command.GetFieldDeserializers().ToList();
        all.Single(p => p.Key == "type").Value(Node("\"AppService\""));
        all.Single(p => p.Key == "id").Value(Node("\"c2\""));

        Assert.Equal(("c2", "AppService"), (command.Id, command.Type));
    }
}
