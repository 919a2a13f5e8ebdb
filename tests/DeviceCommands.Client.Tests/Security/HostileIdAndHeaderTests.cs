using System.Net;
using CsCheck;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.Serialization;

namespace DeviceCommands.Client.Tests.Security;

/// <summary>Hostile ids never change the path nor inject a header; no token reaches another host or any log line.</summary>
public class HostileIdAndHeaderTests
{
    private static readonly HashSet<string> ExpectedHeaders = new(["Authorization", "User-Agent", "client-request-id", "Accept"], StringComparer.OrdinalIgnoreCase);

    private static readonly Gen<string> HostileIds = Gen.Frequency(
        (3, Gen.OneOf("..", ".", "../..", "a/b?c#d", "x\r\nAuthorization: Bearer evil", "%2F%2E%2E", "%", "%%41", "\u0000\u0001\u007f", "é/中/🚀", " a ", "a\tb", "?", "#", "//evil.example.com/x", "\\..\\")),
        (3, Gen.String[Gen.Char, 1, 40]),
        (1, Gen.Int[1000, 16000].Select(n => new string('é', n / 9))))
        .Where(s => !string.IsNullOrWhiteSpace(s) && System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s)) == s); // lone surrogates: Me/Devices/LoneSurrogateIdTests

    [Fact]
    public async Task Hostile_ids_are_one_escaped_segment_each_and_inject_no_header()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, "{\"id\":\"c\"}");
        var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0 });
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{\"id\":\"c\"}");
        var recorded = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler, MaxRetries = 0 });
        var cases = 0;

        await Gen.Select(HostileIds, HostileIds).SampleDeterministicAsync(
            async (deviceId, commandId) =>
            {
                recorder.Requests.Clear();
                await recorded.Me.Devices[deviceId].Commands[commandId].ResponsePayload.GetAsync();
                var (_, uri, _, headers) = recorder.Single;
                Assert.Equal("graph.microsoft.com", uri.Host);
                Assert.Equal(string.Empty, uri.Query);
                Assert.Equal(string.Empty, uri.Fragment);
                var segments = uri.AbsolutePath.Split('/');
                Assert.Equal(["", "beta", "me", "devices", Escape(deviceId), "commands", Escape(commandId), "responsePayload"], segments);
                Assert.All(headers.Keys, h => Assert.Contains(h, ExpectedHeaders));
                Assert.Equal($"Bearer {FakeCredential.Token}", headers["Authorization"]);
                cases++;
            },
            seed: "5hJx0Ac3Wq91",
            iter: 300,
            threads: 1);

        Assert.Equal(300, cases);
    }

    /// <summary>The one form the URL template gives an id: RFC 3986 escaping of every reserved character, and . / .. as %2E.</summary>
    private static string Escape(string id) => id switch
    {
        "." => "%2E",
        ".." => "%2E%2E",
        _ => Uri.EscapeDataString(id),
    };

    [Fact]
    public async Task A_307_on_POST_and_a_chain_of_redirects_carry_no_token_once_they_leave_the_host()
    {
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.TemporaryRedirect, "", ("Location", "https://graph.microsoft.com/beta/me/devices/d/commands?hop=1"))
            .Answer(HttpStatusCode.PermanentRedirect, "", ("Location", "https://evil.example.com/steal"))
            .Answer(HttpStatusCode.Found, "", ("Location", "https://graph.microsoft.com/beta/back"))
            .Answer(HttpStatusCode.Created, "{\"id\":\"c1\",\"status\":\"requesting\"}");
        var logs = new LogCapture();
        var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0, LoggerFactory = logs });

        var sent = await client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://example.com")));

        Assert.Equal("c1", sent?.Id);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal($"Bearer {FakeCredential.Token}", handler.Requests[0].Authorization);
        Assert.Equal($"Bearer {FakeCredential.Token}", handler.Requests[1].Authorization); // same host
        Assert.Null(handler.Requests[2].Authorization);                                     // another host
        Assert.Null(handler.Requests[3].Authorization);                                     // back on the host after leaving it
        Assert.Equal(HttpMethod.Post, handler.Requests[2].Method);                          // 308 keeps the method
        Assert.Equal(HttpMethod.Get, handler.Requests[3].Method);                           // 302 after a POST continues as GET
        Assert.DoesNotContain(FakeCredential.Token, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_whose_postBackUri_is_another_host_sends_nothing_there_and_no_log_line_has_the_token()
    {
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.Created, "{\"id\":\"c1\",\"status\":\"requesting\",\"postBackUri\":\"https://evil.example.com/cb\"}")
            .Answer(HttpStatusCode.TooManyRequests, "{}", ("Retry-After", "0"))
            .Answer(HttpStatusCode.OK, "{\"id\":\"c1\",\"status\":\"executing\",\"postBackUri\":\"https://evil.example.com/cb\"}")
            .Answer(HttpStatusCode.ServiceUnavailable, "<html>down</html>")
            .Always(HttpStatusCode.OK, "{\"value\":{\"id\":\"c1\",\"status\":\"completed\",\"responsePayload\":{\"type\":\"Ok\"},\"postBackUri\":\"https://evil.example.com/cb\"}}");
        var logs = new LogCapture();
        var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 3, RetryDelay = TimeSpan.Zero, LoggerFactory = logs });
        var command = Command.LaunchUri(new Uri("https://example.com"));
        command.PostBackUri = "https://evil.example.com/cb";

        var result = await client.Me.Devices["d"].Commands.SendAndWaitAsync(command, new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) });
        await Assert.ThrowsAsync<ODataError>(() => DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = new ScriptedHandler().Always(HttpStatusCode.Unauthorized, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"bad\"}}"), LoggerFactory = logs }).Me.Devices.GetAsync());

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.All(handler.Requests, r => Assert.Equal("graph.microsoft.com", r.Uri.Host));
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(FakeCredential.Token, logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", logs.All, StringComparison.OrdinalIgnoreCase);
    }
}
