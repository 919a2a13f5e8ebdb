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

/// <summary>Every failure of a request is an ApiException, whose message says the status once.</summary>
public sealed class ApiExceptionTests
{
    // ---- errors: "every failure of a request is an ApiException"
    [Theory]
    [InlineData("ftp://127.0.0.1/beta/me/devices")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    [InlineData("/beta/me/devices")]
    public async Task A_raw_url_the_client_cannot_send_fails_as_an_ApiException(string url)
    {
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/beta") });

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices.WithUrl(url).GetAsync());

        Assert.IsAssignableFrom<ApiException>(error);
    }

    // ---- messages: "the status said once"
    [Theory]
    [InlineData("See HTTP 4040 for details")]
    [InlineData("Proxy said HTTP 40")]
    public async Task The_status_is_said_in_the_message_even_when_the_service_text_holds_a_longer_number(string text)
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"" + text + "\"}}"));
        var client = TestClients.Loopback(server);

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Contains("(HTTP 404).", Assert.IsType<ODataError>(error).Message, StringComparison.Ordinal);
    }
}
