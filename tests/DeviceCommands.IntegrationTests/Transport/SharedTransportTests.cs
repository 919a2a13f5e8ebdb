using DeviceCommands.Client;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// One shared transport. A client per request costs no socket: 2,000 clients from
/// <c>Create(null, options)</c>, each sending one GET, sequentially then 200 at a time, use few connections. A handler
/// given in the options is never disposed by a client, through Create or through DI.
/// </summary>
[Collection(LoadTests.Name)]
public sealed class SharedTransportTests(ITestOutputHelper output)
{
    private const int Clients = 2000;
    private const int Concurrency = 200;

    [Fact]
    public async Task Two_thousand_clients_sending_one_GET_each_share_a_few_connections()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        var options = new DeviceCommandsClientOptions { BaseUrl = server.BaseUrl };

        for (var i = 0; i < Clients; i++)
        {
            var command = await DeviceCommandsClient.Create(null, options).Me.Devices["d"].Commands["c"].GetAsync();
            Assert.Equal("c", command?.Id);
        }

        var sequentialAccepted = server.ConnectionsAccepted;
        var sequentialMaxOpen = server.MaxConnectionsOpen;

        for (var batch = 0; batch < Clients / Concurrency; batch++)
        {
            var gets = Enumerable.Range(0, Concurrency)
                .Select(_ => DeviceCommandsClient.Create(null, options).Me.Devices["d"].Commands["c"].GetAsync());
            Assert.All(await Task.WhenAll(gets), c => Assert.Equal("c", c?.Id));
        }

        output.WriteLine($"sequential: {sequentialAccepted} accepted, {sequentialMaxOpen} open at most; " +
            $"then concurrent: {server.ConnectionsAccepted} accepted in all, {server.MaxConnectionsOpen} open at most; {server.Requests.Count} requests");
        Assert.Equal(2 * Clients, server.Requests.Count);
        Assert.InRange(sequentialAccepted, 1, 2);
        Assert.InRange(sequentialMaxOpen, 1, 2);
        // at most one connection per request in flight, kept for the next batches: never one per client
        Assert.InRange(server.MaxConnectionsOpen, 1, Concurrency + 2);
        Assert.InRange(server.ConnectionsAccepted, 1, Concurrency + 2 + sequentialAccepted);
        Assert.Empty(server.Faults);
    }

    [Fact]
    public async Task A_handler_given_to_Create_is_never_disposed_by_its_clients()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        using var handler = new DisposeRecordingHandler();
        var options = new DeviceCommandsClientOptions { BaseUrl = server.BaseUrl, HttpMessageHandler = handler };

        for (var i = 0; i < 20; i++)
        {
            await DeviceCommandsClient.Create(null, options).Me.Devices["d"].Commands["c"].GetAsync();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(handler.Disposed);
        Assert.Equal("c", (await DeviceCommandsClient.Create(null, options).Me.Devices["d"].Commands["c"].GetAsync())?.Id);
        Assert.Equal(21, handler.Sent);
    }

    [Fact]
    public async Task A_handler_given_to_the_DI_registration_is_not_disposed_with_the_service_provider()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        using var handler = new DisposeRecordingHandler();
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => { o.BaseUrl = server.BaseUrl; o.HttpMessageHandler = handler; });

        await using (var provider = services.BuildServiceProvider())
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("c", (await provider.GetRequiredService<DeviceCommandsClient>().Me.Devices["d"].Commands["c"].GetAsync())?.Id);
            }
        }

        Assert.False(handler.Disposed);
        Assert.Equal(3, handler.Sent);
        // still usable by a client of its own
        Assert.Equal("c", (await DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = server.BaseUrl, HttpMessageHandler = handler })
            .Me.Devices["d"].Commands["c"].GetAsync())?.Id);
    }
}
