using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.Promises;

/// <summary>Probes from outside: bad bytes inside a list, exhausted retries over raw sockets.</summary>
public sealed class OutsideAttackBytesTests
{
    [Fact]
    public async Task A_bad_byte_in_one_device_of_a_list_drops_only_that_property()
    {
        byte[] body = [.. "{\"value\":[{\"id\":\"a\",\"Name\":\"A\"},{\"id\":\"b\",\"Name\":\"B"u8, 0xFF, .. "\"},{\"id\":\"c\",\"Name\":\"C\"}]}"u8];
        await using var server = RawHttpServer.Start();
        server.Otherwise(Promise.RawResponse(200, "OK", body));
        var client = Promise.Client(server);

        var devices = await client.Me.Devices.GetAsync();

        Assert.Equal(["a", "b", "c"], devices!.Value!.Select(d => d.Id));
        Assert.Equal(["A", null, "C"], devices.Value!.Select(d => d.Name));
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_in_one_device_drops_only_that_property()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(RawStep.Respond(200, """{"value":[{"id":"a","Name":"A"},{"id":"b","Name":"B\ud800"},{"id":"c","Name":"C"}]}"""));
        var client = Promise.Client(server);

        var devices = await client.Me.Devices.GetAsync();

        Assert.Equal(["a", "b", "c"], devices!.Value!.Select(d => d.Id));
        Assert.Equal(["A", null, "C"], devices.Value!.Select(d => d.Name));
    }

    [Fact]
    public async Task Exhausted_retries_throw_the_last_answer_not_the_first()
    {
        static RawStep Unavailable(string code) =>
            RawStep.Respond(503, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}", "application/json", ("Retry-After", "0"));
        await using var server = RawHttpServer.Start();
        server.Enqueue(Unavailable("first"), Unavailable("second"), Unavailable("third"), Unavailable("last"));
        var client = Promise.Client(server, configure: o => o.MaxRetries = 3);

        var (error, _) = await Promise.TimeAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("last", Assert.IsType<ODataError>(error).Error?.Code);
        Assert.Equal(4, server.Requests.Count);
    }
}
