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
        var client = LoopbackClient.Create(server, new FakeCredential(Token, claimsToken: Token), o =>
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
        var throttled = 0;
        var challenged = 0;
        var polled = 0;
        const string Claims = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=";
        server
            .When(r => r.Target == "/beta/me/devices", RawStep.Respond(200, "{\"value\":[{\"id\":\"d\",\"Name\":\"PC\"}]}"))
            .When(r => r.Target.EndsWith("/throttled", StringComparison.Ordinal) && Interlocked.Increment(ref throttled) == 1,
                RawStep.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")))
            .When(r => r.Target.EndsWith("/challenged", StringComparison.Ordinal) && Interlocked.Increment(ref challenged) == 1,
                RawStep.Respond(401, Answers.ODataErrorBody, "application/json",
                    ("WWW-Authenticate", $"Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{Claims}\"")))
            .When(r => r.Target.EndsWith("/unavailable", StringComparison.Ordinal), RawStep.Respond(503, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")))
            .When(r => r.Target.EndsWith("/missing", StringComparison.Ordinal), RawStep.Respond(404, Answers.ODataErrorBody))
            .When(r => r.Target.EndsWith("/redirected", StringComparison.Ordinal),
                RawStep.Redirect(307, $"http://localhost:{server.Port}/beta/me/devices/d/commands/elsewhere"))
            .When(r => r.Target.EndsWith("/silent", StringComparison.Ordinal), RawStep.Silence())
            .When(r => r.Target.EndsWith("/reset", StringComparison.Ordinal), RawStep.Reset())
            .When(r => r.Method == "POST", RawStep.Respond(201, "{\"id\":\"w\",\"status\":\"requesting\"}"))
            .When(r => r.Target.EndsWith("/w", StringComparison.Ordinal) && Interlocked.Increment(ref polled) == 1,
                RawStep.Respond(200, "{\"id\":\"w\",\"status\":\"executing\"}"))
            .When(r => r.Target.EndsWith("/w", StringComparison.Ordinal), RawStep.Respond(200, "{\"id\":\"w\",\"status\":\"completed\"}"))
            .Otherwise(RawStep.Respond(200, Answers.Requesting));
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
