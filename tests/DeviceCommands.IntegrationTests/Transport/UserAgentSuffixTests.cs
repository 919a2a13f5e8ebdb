using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>A UserAgentSuffix that cannot work is refused (by Create, or when the host starts) and never reaches the wire.</summary>
public sealed class UserAgentSuffixTests
{
    // ---- DI: "validated when the host starts"
    [Theory]
    [InlineData("my app (unclosed")]
    [InlineData("caf\u00e9/1.0")]
    public void A_UserAgentSuffix_that_cannot_work_stops_the_host_when_it_starts(string suffix)
    {
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(credential: null, configure: o => o.UserAgentSuffix = suffix);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Theory]
    [InlineData("my app (unclosed")]
    [InlineData("caf\u00e9/1.0")]
    public void Create_refuses_a_UserAgentSuffix_that_cannot_work_with_an_ArgumentException(string suffix)
    {
        var error = Record.Exception(() => DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { UserAgentSuffix = suffix }));
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public async Task A_UserAgentSuffix_with_a_folded_line_break_never_reaches_the_wire()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        DeviceCommandsClient client;
        try
        {
            client = TestClients.Loopback(server, configure: o => o.UserAgentSuffix = "a/1\r\n X-Injected: 1");
        }
        catch (ArgumentException)
        {
            return; // refused up front: fine
        }

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());
        Assert.IsAssignableFrom<ApiException>(error);
        Assert.Equal(0, server.ConnectionsAccepted);
    }
}
