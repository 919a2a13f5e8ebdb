using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;

namespace DeviceCommands.Client.Tests.Models;

public class DeviceCollectionResponseTests
{
    private static DeviceCollectionResponse Read(string json) => Json.Read(json, DeviceCollectionResponse.CreateFromDiscriminatorValue);

    [Fact]
    public void The_list_example_reads_its_pascal_case_device()
    {
        var list = Read(Fixture.Read("devices-pascal-case.json"));

        var device = Assert.Single(list.Value!);
        Assert.Equal("JimSurface", device.Name);
        Assert.Equal("6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c", device.Id);
        Assert.Equal("Tablet", device.Kind);
        Assert.Equal("Unknown", device.Status);
        Assert.Equal("Windows", device.Platform);
    }

    [Fact]
    public void The_next_link_reads()
    {
        var list = Read("""{"value":[],"@odata.nextLink":"https://graph.microsoft.com/beta/me/devices?$skiptoken=2"}""");

        Assert.Empty(list.Value!);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices?$skiptoken=2", list.OdataNextLink);
    }

    [Fact]
    public void A_single_device_where_the_array_is_expected_reads_as_a_one_item_list()
    {
        var list = Read("""{"value":{"id":"only","Name":"n"}}""");

        Assert.Equal("only", Assert.Single(list.Value!).Id);
    }

    [Theory]
    [InlineData("\"null\"")]
    [InlineData("null")]
    public void A_null_value_reads_as_null(string value)
    {
        Assert.Null(Read($$"""{"value":{{value}}}""").Value);
    }

    [Fact]
    public void A_string_value_reads_as_null_and_is_kept()
    {
        var list = Read("""{"value":"nope"}""");

        Assert.Null(list.Value);
        Assert.Equal("nope", list.AdditionalData["value"]);
    }

    [Fact]
    public void Writing_round_trips()
    {
        var list = Read(Fixture.Read("devices-pascal-case.json"));

        Assert.True(Json.SameJson(
            """{"value":[{"id":"6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c","name":"JimSurface","kind":"Tablet","platform":"Windows","status":"Unknown"}]}""",
            Json.Write(list)));
    }
}
