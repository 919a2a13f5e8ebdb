using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.Serialization;

/// <summary>A bad byte or an escaped lone surrogate in one device of a list drops only that property, not the list.</summary>
public sealed class DeviceListBadPropertyTests
{
    [Fact]
    public async Task A_bad_byte_in_one_device_of_a_list_drops_only_that_property()
    {
        byte[] body = [.. "{\"value\":[{\"id\":\"a\",\"Name\":\"A\"},{\"id\":\"b\",\"Name\":\"B"u8, 0xFF, .. "\"},{\"id\":\"c\",\"Name\":\"C\"}]}"u8];
        await using var server = RawHttpServer.Start();
        server.Otherwise(Answers.RawResponse(200, "OK", body));
        var client = TestClients.Loopback(server);

        var devices = await client.Me.Devices.GetAsync();

        Assert.Equal(["a", "b", "c"], devices!.Value!.Select(d => d.Id));
        Assert.Equal(["A", null, "C"], devices.Value!.Select(d => d.Name));
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_in_one_device_drops_only_that_property()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, """{"value":[{"id":"a","Name":"A"},{"id":"b","Name":"B\ud800"},{"id":"c","Name":"C"}]}"""));
        var client = TestClients.Loopback(server);

        var devices = await client.Me.Devices.GetAsync();

        Assert.Equal(["a", "b", "c"], devices!.Value!.Select(d => d.Id));
        Assert.Equal(["A", null, "C"], devices.Value!.Select(d => d.Name));
    }
}
