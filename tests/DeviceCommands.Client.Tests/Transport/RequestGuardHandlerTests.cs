using System.Net;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>Where the bearer token goes: only to the base URL's host, only over https (http only to loopback).</summary>
public class RequestGuardHandlerTests
{
    private const string Status = """{"id":"c","status":"executing"}""";

    [Fact]
    public async Task The_token_goes_to_the_base_url_host()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);

        await TestClients.Created(handler, credential: new FakeCredential()).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("Bearer " + FakeCredential.Token, Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task The_default_scopes_are_the_delegated_device_permissions_of_the_base_url_host()
    {
        var credential = new FakeCredential();
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);

        await TestClients.Created(handler, credential: credential).Me.Devices.GetAsync();

        Assert.Equal(["https://graph.microsoft.com/Device.Read", "https://graph.microsoft.com/Device.Command"], credential.Scopes[0]);
    }

    [Fact]
    public async Task The_scopes_can_be_overridden()
    {
        var credential = new FakeCredential();
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);
        var client = DeviceCommandsClient.Create(credential, new DeviceCommandsClientOptions { HttpMessageHandler = handler, Scopes = ["api://custom/.default"] });

        await client.Me.Devices.GetAsync();

        Assert.Equal(["api://custom/.default"], credential.Scopes[0]);
    }

    [Theory]
    [InlineData("https://evil.example.com/beta/me/devices/x/commands/y")]
    [InlineData("https://graph.microsoft.com.evil.example/beta/me/devices/x/commands/y")]
    [InlineData("https://graph.microsoft.com:8443/beta/me/devices/x/commands/y")]
    public async Task No_token_goes_to_another_host_or_port_through_WithUrl(string url)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);

        await TestClients.Created(handler, credential: new FakeCredential()).Me.Devices["d"].Commands["c"].WithUrl(url).GetAsync();

        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Theory]
    [InlineData("https://evil.example.com/steal")]
    [InlineData("http://graph.microsoft.com/beta/me/devices/d/commands/c")]
    [InlineData("https://graph.microsoft.com:444/beta/me/devices/d/commands/c")]
    public async Task No_token_follows_a_redirect_to_another_host_or_down_to_http(string location)
    {
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.Found, "{}", ("Location", location))
            .Always(HttpStatusCode.OK, Status);

        var command = await TestClients.Created(handler, credential: new FakeCredential()).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("c", command?.Id);
        Assert.Equal(2, handler.Requests.Count);
        Assert.NotNull(handler.Requests[0].Authorization);
        Assert.Null(handler.Requests[1].Authorization);
        Assert.Equal(location, handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_redirect_within_the_service_keeps_the_token()
    {
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.TemporaryRedirect, "{}", ("Location", "/beta/me/devices/d/commands/c2"))
            .Always(HttpStatusCode.OK, Status);

        await TestClients.Created(handler, credential: new FakeCredential()).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("Bearer " + FakeCredential.Token, handler.Requests[1].Authorization);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/d/commands/c2", handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Redirects_stop_after_five()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.Found, configure: r => r.Headers.Location = new Uri("https://graph.microsoft.com/beta/loop"));

        await Assert.ThrowsAnyAsync<Exception>(() => TestClients.Created(handler, credential: new FakeCredential()).Me.Devices.GetAsync());

        Assert.Equal(6, handler.Requests.Count);
    }

    [Fact]
    public async Task Plain_http_to_a_loopback_emulator_carries_the_token()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);

        await TestClients.Created(handler, credential: new FakeCredential(), baseUrl: new Uri("http://127.0.0.1:5080/beta")).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("Bearer " + FakeCredential.Token, Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public void A_credential_with_a_plain_http_base_url_to_another_host_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { BaseUrl = new Uri("http://graph.microsoft.com/beta") }));
    }

    [Fact]
    public async Task No_credential_means_no_authorization_header()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);

        await DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler }).Me.Devices.GetAsync();

        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task The_token_never_appears_in_logs_or_exception_messages()
    {
        var logs = new LogCapture();
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.OK, Status)
            .Answer(HttpStatusCode.Unauthorized, """{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}""")
            .Answer(HttpStatusCode.Found, "{}", ("Location", "https://evil.example.com/x"))
            .Always(HttpStatusCode.InternalServerError, "<html>boom</html>");
        var client = TestClients.Created(handler, credential: new FakeCredential(), logs: logs);
        var messages = new List<string>();

        await client.Me.Devices["d"].Commands["c"].GetAsync();
        foreach (var call in new Func<Task>[] { () => client.Me.Devices.GetAsync(), () => client.Me.Devices.GetAsync(), () => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))) })
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(call);
            messages.Add(e.ToString());
        }

        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(FakeCredential.Token, logs.All, StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain(FakeCredential.Token, m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_user_agent_names_the_package_and_its_version()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, Status);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, UserAgentSuffix = "MyApp/2.0" });

        await client.Me.Devices.GetAsync();

        Assert.Matches(@"^DeviceCommands\.Client/\d+\.\d+\.\d+.* MyApp/2\.0$", Assert.Single(handler.Requests).UserAgent);
    }
}
