using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using RichardSzalay.MockHttp;

namespace DeviceCommands.Samples.TestingYourCode;

/// <summary>Way 2: MockHttp answering the service's URLs, with options that keep retries instant (no real backoff).</summary>
public sealed class MockHttpTests
{
    private const string Base = "https://graph.microsoft.com/beta";

    [Fact]
    public async Task The_service_is_read_from_canned_answers_and_a_503_is_retried_at_once()
    {
        // README: Testing your code, MockHttp
        var http = new MockHttpMessageHandler(BackendDefinitionBehavior.Always); // the one-off 503 first, the canned answers then
        http.When(HttpMethod.Get, $"{Base}/me/devices").Respond("application/json", """{"value":[{"id":"pc","Name":"PC","Status":"Online"}]}""");
        http.When(HttpMethod.Post, $"{Base}/me/devices/pc/commands").Respond(HttpStatusCode.Created, "application/json", """{"id":"c1","status":"requesting"}""");
        http.Expect(HttpMethod.Get, $"{Base}/me/devices/pc/commands/c1").Respond(HttpStatusCode.ServiceUnavailable);
        http.When(HttpMethod.Get, $"{Base}/me/devices/pc/commands/c1").Respond("application/json", """{"id":"c1","status":"completed"}""");
        var clock = new VirtualClock();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            HttpMessageHandler = clock.Track(http), // MockHttp answers on other threads: the clock waits for it
            RetryDelay = TimeSpan.Zero,             // a retry after a 503 does not wait
            TimeProvider = clock,                   // nor do the waits between polls
        });

        var outcome = await clock.RunAsync(() => new DeviceOpener(client, clock).OpenAsync(new Uri("https://bing.com")));

        Assert.Equal("Opened on PC", outcome);
        http.VerifyNoOutstandingExpectation();
    }
}
