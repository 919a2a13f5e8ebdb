using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>When the retries run out, the call throws what the last attempt was answered, over a raw socket.</summary>
public sealed class RetryExhaustionTests
{
    [Fact]
    public async Task Exhausted_retries_throw_the_last_answer_not_the_first()
    {
        static Reply Unavailable(string code) =>
            Reply.Respond(503, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}", "application/json", ("Retry-After", "0"));
        await using var server = RawHttpServer.Start();
        server.Enqueue(Unavailable("first"), Unavailable("second"), Unavailable("third"), Unavailable("last"));
        var client = TestClients.Loopback(server, configure: o => o.MaxRetries = 3);

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("last", Assert.IsType<ODataError>(error).Error?.Code);
        Assert.Equal(4, server.Requests.Count);
    }
}
