using System.Net;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// The loopback rule is one rule. A credential is accepted for plain http to any loopback host (127.0.0.0/8,
/// localhost), and its token is then sent; refused by Create (and the DI registration) for plain http elsewhere;
/// fine for https.
/// </summary>
public sealed class PlainHttpLoopbackRuleTests
{
    private const string Token = "loopback-token-4f2a";

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    public async Task A_credential_for_plain_http_to_any_loopback_address_is_accepted_and_its_token_is_sent(string address)
    {
        await using var server = RawHttpServer.Start(address: IPAddress.Parse(address));
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        var client = TestClients.Loopback(server, new FakeCredential(Token));

        var command = await client.Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("c", command?.Id);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/beta/me/devices/d/commands/c", "HTTP/1.1"), (request.Method, request.Target, request.Version));
        Assert.Equal([$"Bearer {Token}"], request.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_credential_for_plain_http_to_localhost_is_accepted_and_its_token_is_sent()
    {
        // the server listens where a connection to localhost goes first (see LoopbackClient.LocalhostAddress)
        await using var server = RawHttpServer.Start(address: LoopbackClient.LocalhostAddress());
        server.Otherwise(Reply.Respond(200, Answers.Requesting));
        var client = TestClients.Loopback(new Uri($"http://localhost:{server.Port}/beta"), new FakeCredential(Token));

        var command = await client.Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("c", command?.Id);
        Assert.Equal($"Bearer {Token}", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_WithUrl_to_another_loopback_host_gets_no_token()
    {
        await using var other = RawHttpServer.Start(address: IPAddress.Parse("127.0.0.2"));
        other.Otherwise(Reply.Respond(200, "{\"value\":[]}"));
        await using var server = RawHttpServer.Start();
        var client = TestClients.Loopback(server, new FakeCredential(Token));

        await client.Me.Devices.WithUrl($"http://127.0.0.2:{other.Port}/beta/me/devices").GetAsync();

        var request = Assert.Single(other.Requests);
        Assert.DoesNotContain(request.HeaderList, h => h.Name.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Token, request.Target, StringComparison.Ordinal);
        Assert.DoesNotContain(request.HeaderList, h => h.Value.Contains(Token, StringComparison.Ordinal));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("http://example.com/beta")]
    [InlineData("http://10.0.0.1/beta")]
    [InlineData("http://localhost.example.com/beta")]
    [InlineData("http://127.0.0.1.example.com/beta")]
    public void A_credential_for_plain_http_to_a_host_that_is_not_loopback_is_refused_by_Create(string baseUrl)
    {
        var options = new DeviceCommandsClientOptions { BaseUrl = new Uri(baseUrl) };

        var error = Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(new FakeCredential(Token), options));

        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.NotNull(DeviceCommandsClient.Create(null, options)); // without a token, any URL
    }

    [Fact]
    public void A_credential_for_plain_http_to_a_host_that_is_not_loopback_is_refused_by_the_DI_registration()
    {
        var services = new ServiceCollection();
        services.AddDeviceCommandsClient(new FakeCredential(Token), configure: o => o.BaseUrl = new Uri("http://example.com/beta"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<DeviceCommandsClient>());
        Assert.Contains("only ever sent over https", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("https://graph.microsoft.com/beta")]
    [InlineData("https://127.0.0.1:8443/beta")]
    public void A_credential_for_https_is_accepted(string baseUrl)
    {
        var client = DeviceCommandsClient.Create(new FakeCredential(Token), new DeviceCommandsClientOptions { BaseUrl = new Uri(baseUrl) });

        Assert.NotNull(client.Me.Devices);
    }
}
