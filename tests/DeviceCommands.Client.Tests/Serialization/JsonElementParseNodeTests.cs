using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// The client's own parse node reads property names without allocating them and moves one child node from property
/// to property: every name form (escaped, other case, long, non-ASCII) still reads as the stock Kiota node reads it.
/// </summary>
public class JsonElementParseNodeTests
{
    private static Command Ours(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new JsonElementParseNode(document.RootElement) { OnAfterAssignFieldValues = TolerantReader.MaterializeAdditionalData }
            .GetObjectValue(Command.CreateFromDiscriminatorValue);
    }

    private static Command Stock(string json) => Json.Read(json, Command.CreateFromDiscriminatorValue);

    [Theory]
    [InlineData("""{"\u0073tatus":"completed","i\u0064":"c1"}""")]
    [InlineData("""{"STATUS":"completed","Id":"c1"}""")]
    [InlineData("""{"status":"completed","id":"c1"}""")]
    public void Escaped_and_differently_cased_names_read_as_the_field(string json)
    {
        foreach (var command in new[] { Ours(json), Stock(json) })
        {
            Assert.Equal(ActionStatus.Completed, command.Status);
            Assert.Equal("c1", command.Id);
            Assert.Empty(command.AdditionalData);
        }
    }

    [Fact]
    public void A_value_of_the_wrong_shape_is_kept_under_the_name_as_it_was_sent()
    {
        const string Json = """{"ID":{"x":1},"\u0054ype":[1],"type2":"t"}""";

        var command = Ours(Json);

        Assert.Null(command.Id);
        Assert.Null(command.Type);
        Assert.Equal(["ID", "Type", "type2"], command.AdditionalData.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Stock(Json).AdditionalData.Keys.Order(StringComparer.Ordinal), command.AdditionalData.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Long_and_non_ASCII_names_are_kept_as_unknown_properties()
    {
        var longName = new string('n', 300);
        var json = $$"""{"{{longName}}":1,"é中🚀":"x","id\u00e9":true,"id":"c1"}""";

        var command = Ours(json);

        Assert.Equal("c1", command.Id);
        Assert.Equal(1, command.AdditionalData[longName]);
        Assert.Equal("x", command.AdditionalData["é中🚀"]);
        Assert.Equal(true, command.AdditionalData["idé"]);
    }

    [Fact]
    public void The_string_null_reads_as_null_everywhere_and_is_not_kept()
    {
        var command = Ours(Fixture.Read("status-null-strings.json"));

        Assert.Equal("0", command.Id);
        Assert.Equal(ActionStatus.Requesting, command.Status);
        Assert.Null(command.Type);
        Assert.Null(command.Payload);
        Assert.Null(command.ResponsePayload);
        Assert.Null(command.PostBackUri);
        Assert.Empty(command.AdditionalData);
    }

    [Fact]
    public void Nested_objects_read_between_siblings_without_disturbing_them()
    {
        const string Json = """{"id":"c1","responsePayload":{"type":"Ok","extra":{"deep":[1,{"a":"b"}]}},"status":"executing","payload":{"k":"v"},"after":"x"}""";

        var command = Ours(Json);

        Assert.Equal("c1", command.Id);
        Assert.Equal("Ok", command.ResponsePayload?.Type);
        Assert.True(command.ResponsePayload!.AdditionalData.ContainsKey("extra"));
        Assert.Equal(ActionStatus.Executing, command.Status);
        Assert.IsType<UntypedObject>(command.Payload);
        Assert.Equal("x", command.AdditionalData["after"]);
    }
}
