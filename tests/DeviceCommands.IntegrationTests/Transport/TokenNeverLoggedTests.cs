using Microsoft.Kiota.Abstractions;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// Nothing logged, at any level (Trace included), by the client or by the IHttpClientFactory path carries
/// the token: not in a formatted message, an exception, a state key or value, or a scope. The scenario drives
/// successes, a 429 retry, a claims challenge, 503s, a 404, a redirect to another host, an attempt timeout, a reset and
/// a wait with status changes.
/// </summary>
public sealed class TokenNeverLoggedTests
{
    private const string Secret = "TOKEN-SECRET-9f3c";
    private const string Token = "eyJ0eXAiOiJKV1QifQ." + Secret + ".c2lnbmF0dXJl";

    [Fact]
    public async Task Nothing_a_Create_client_logs_at_any_level_carries_the_token()
    {
        await using var server = Scripted();
        var capture = new LogCapture();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var client = TestClients.Loopback(server, new FakeCredential(Token, claimsToken: Token), o =>
        {
            o.LoggerFactory = loggerFactory;
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(2); // the silent GET times out; nothing else may, on a starved machine
        });

        await DriveAsync(client, server);

        AssertNoToken(server, capture);
    }

    [Fact]
    public async Task Nothing_logged_on_the_IHttpClientFactory_path_at_any_level_carries_the_token()
    {
        await using var server = Scripted();
        var capture = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders().AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        services.AddDeviceCommandsClient(new FakeCredential(Token, claimsToken: Token), configure: o =>
        {
            o.BaseUrl = server.BaseUrl;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(2); // the silent GET times out; nothing else may, on a starved machine
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var client = provider.GetRequiredService<DeviceCommandsClient>();
            await DriveAsync(client, server);
        }

        AssertNoToken(server, capture);
        Assert.Contains(capture.Entries, e => e.Category == "DeviceCommands.Client");
    }

    private static RawHttpServer Scripted()
    {
        // where a connection to localhost goes first: the redirect to localhost (another host name) reaches this server
        var server = RawHttpServer.Start(address: LoopbackClient.LocalhostAddress());
        const string Claims = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=";
        server
            .When(RequestMatcher.Path("/beta/me/devices"), Reply.Respond(200, "{\"value\":[{\"id\":\"d\",\"Name\":\"PC\"}]}"))
            .When(RequestMatcher.Path("*/throttled"), Reply.Respond(429, Answers.ODataErrorBody).WithRetryAfter(TimeSpan.Zero), times: 1)
            .When(RequestMatcher.Path("*/challenged"),
                Reply.Respond(401, Answers.ODataErrorBody, "application/json",
                    ("WWW-Authenticate", $"Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{Claims}\"")),
                times: 1)
            .When(RequestMatcher.Path("*/unavailable"), Reply.Respond(503, Answers.ODataErrorBody).WithRetryAfter(TimeSpan.Zero))
            .When(RequestMatcher.Path("*/missing"), Reply.Respond(404, Answers.ODataErrorBody))
            .When(RequestMatcher.Path("*/redirected"), Reply.Redirect(307, $"http://localhost:{server.Port}/beta/me/devices/d/commands/elsewhere"))
            .When(RequestMatcher.Path("*/silent"), Reply.Silence())
            .When(RequestMatcher.Path("*/reset"), Reply.Reset())
            .When(RequestMatcher.Post(), Reply.Respond(201, "{\"id\":\"w\",\"status\":\"requesting\"}"))
            .When(RequestMatcher.Path("*/w"), Reply.Respond(200, "{\"id\":\"w\",\"status\":\"executing\"}"), times: 1)
            .When(RequestMatcher.Path("*/w"), Reply.Respond(200, "{\"id\":\"w\",\"status\":\"completed\"}"))
            .Otherwise(Reply.Respond(200, Answers.Requesting));
        return server;
    }

    private static async Task DriveAsync(DeviceCommandsClient client, RawHttpServer server)
    {
        var commands = client.Me.Devices["d"].Commands;
        Assert.Equal("d", (await client.Me.Devices.GetAsync())?.Value?[0].Id);
        Assert.Equal("c", (await commands["throttled"].GetAsync())?.Id);
        await Timed.RunAsync(() => commands["challenged"].GetAsync());
        Assert.IsType<ODataError>((await Timed.RunAsync(() => commands["unavailable"].GetAsync())).Error);
        Assert.IsType<ODataError>((await Timed.RunAsync(() => commands["missing"].GetAsync())).Error);
        Assert.Equal("c", (await commands["redirected"].GetAsync())?.Id);
        Assert.IsType<TimeoutException>(Assert.IsType<ApiException>((await Timed.RunAsync(() => commands["silent"].GetAsync())).Error).InnerException);
        Assert.IsAssignableFrom<HttpRequestException>(Assert.IsType<ApiException>((await Timed.RunAsync(() => commands["reset"].GetAsync())).Error).InnerException);
        var result = await commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")),
            new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(ActionStatus.Completed, result.Status);

        // the token really went on the wire (so its absence from the log means something), and not to the other host
        Assert.Contains(server.Requests, r => r.Header("Authorization") == $"Bearer {Token}");
        var elsewhere = Assert.Single(server.Requests, r => r.Target.EndsWith("/elsewhere", StringComparison.Ordinal));
        Assert.Null(elsewhere.Header("Authorization"));
    }

    private static void AssertNoToken(RawHttpServer server, LogCapture capture)
    {
        Assert.Empty(server.Faults);
        var texts = capture.AllTexts();
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.DoesNotContain(Secret, t, StringComparison.Ordinal));
        var events = capture.Entries.Select(e => e.EventId.Id).ToHashSet();
        Assert.Contains(1, events); // request completed
        Assert.Contains(2, events); // request failed
        Assert.Contains(3, events); // retrying
        Assert.Contains(5, events); // status changed
    }
}
