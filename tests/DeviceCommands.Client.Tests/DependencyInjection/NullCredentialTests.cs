using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceCommands.Client.Tests.DependencyInjection;

/// <summary>
/// <c>AddDeviceCommandsClient(null)</c>, the first thing an emulator user writes, compiles (it was ambiguous between the
/// credential and the credential-factory overloads) and registers a client that sends no token.
/// </summary>
public class NullCredentialTests
{
    [Fact]
    public async Task A_bare_null_registers_a_client_that_sends_no_credential()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");
        var services = new ServiceCollection();

        var builder = services.AddDeviceCommandsClient(null);
        services.Configure<DeviceCommandsClientOptions>(builder.Name, o => { o.HttpMessageHandler = handler; o.BaseUrl = new Uri("http://localhost:5000/beta"); });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DeviceCommandsClient>().Me.Devices.GetAsync();

        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task A_bare_null_registers_a_keyed_client_that_sends_no_credential()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"value":[]}""");
        var services = new ServiceCollection();

        services.AddKeyedDeviceCommandsClient("emulator", null, configure: o => { o.HttpMessageHandler = handler; o.BaseUrl = new Uri("http://localhost:5000/beta"); });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredKeyedService<DeviceCommandsClient>("emulator").Me.Devices.GetAsync();

        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public void A_lambda_still_picks_the_credential_factory()
    {
        var services = new ServiceCollection();
        var asked = 0;

        services.AddDeviceCommandsClient(_ => { asked++; return new FakeCredential(); }, configure: o => o.HttpMessageHandler = new ScriptedHandler());
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<DeviceCommandsClient>();

        Assert.Equal(1, asked);
    }
}
