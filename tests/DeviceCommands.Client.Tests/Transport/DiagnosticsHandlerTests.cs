using System.Diagnostics;
using System.Net;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Transport;
using DeviceCommands.Testing;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Tests.Transport;

public class DiagnosticsHandlerTests
{
    [Fact]
    public async Task Each_request_is_logged_with_method_path_status_and_duration_and_each_retry_with_reason_and_delay()
    {
        var clock = new VirtualClock();
        var logs = new LogCapture();
        var handler = new ScriptedHandler(clock).Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "2")).Always(HttpStatusCode.OK, """{"id":"c"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = clock, LoggerFactory = logs });

        await clock.RunAsync(() => client.Me.Devices["dev"].Commands["cmd"].GetAsync());

        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Information && l.Message.Contains("Retrying HTTP GET /beta/me/devices/dev/commands/cmd (retry 1) in 2000 ms because the service answered 503", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Debug && l.Message.StartsWith("HTTP GET /beta/me/devices/dev/commands/cmd answered 200 in ", StringComparison.Ordinal));
        Assert.All(logs.Entries, l => Assert.Equal(ClientDiagnostics.Name, l.Category));
    }

    [Fact]
    public async Task An_activity_listener_sees_a_span_per_request_with_the_status()
    {
        using var capture = new SpanCapture();
        var handler = new ScriptedHandler().Always(HttpStatusCode.NotFound);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, BaseUrl = new Uri("https://diag.test/beta") });

        await Assert.ThrowsAsync<DeviceCommands.Client.Models.ODataError>(() => client.Me.Devices["d1"].Commands["c1"].GetAsync());

        var span = Assert.Single(capture.Spans, s => (string?)s.GetTagItem("server.address") == "diag.test");

        Assert.Equal("GET /beta/me/devices/{id}/commands/{id}", span.DisplayName);
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public void A_request_id_is_a_distinct_version_4_GUID_in_the_usual_form()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => DiagnosticsHandler.NewRequestId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            Assert.Equal(4, Guid.Parse(id).Version);
        });
    }

    [Fact]
    public async Task A_client_request_id_the_caller_set_is_kept()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"id":"c"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler });

        await client.Me.Devices["d"].Commands["c"].GetAsync(c => c.Headers.Add(DiagnosticsHandler.ClientRequestIdHeader, "mine-1"));
        await client.Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("mine-1", handler.Requests[0].ClientRequestId);
        Assert.True(Guid.TryParse(handler.Requests[1].ClientRequestId, out _));
    }
}
