using System.Diagnostics;
using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>One trace per send and wait: a span around the whole operation, with the POST and every poll as its children.</summary>
public class SendAndWaitTraceTests
{
    private const string PostSpan = "POST /beta/me/devices/{id}/commands";
    private const string GetSpan = "GET /beta/me/devices/{id}/commands/{id}";

    private static (DeviceCommandsClient Client, VirtualClock Clock) ClientOver(ScriptedHandler handler, VirtualClock clock) =>
        (DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = clock, MaxRetries = 0 }), clock);

    private static Activity OperationOf(List<Activity> spans, string commandId) =>
        Assert.Single(spans, s => s.DisplayName == "SendAndWaitForCommand" && (string?)s.GetTagItem("devicecommands.command.id") == commandId);

    [Fact]
    public async Task The_post_and_every_poll_are_children_of_one_operation_span_in_one_trace()
    {
        var clock = new VirtualClock();
        using var capture = new SpanCapture();
        var handler = new ScriptedHandler(clock, "trace-cmd")
            .Answer(HttpStatusCode.Created, """{"id":"trace-cmd","status":"requesting"}""")
            .Answer(HttpStatusCode.OK, """{"id":"trace-cmd","status":"executing"}""")
            .Answer(HttpStatusCode.ServiceUnavailable)
            .Always(HttpStatusCode.OK, """{"id":"trace-cmd","status":"completed"}""");
        var (client, _) = ClientOver(handler, clock);

        var result = await clock.RunAsync(() => client.Me.Devices["trace-dev"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { JitterSeed = 1 }));

        var spans = capture.Spans;
        var operation = OperationOf(spans, "trace-cmd");
        var trace = spans.Where(s => s.TraceId == operation.TraceId && s != operation).ToList();
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(ActivityKind.Internal, operation.Kind);
        Assert.Equal("trace-dev", operation.GetTagItem("devicecommands.device.id"));
        Assert.Equal("completed", operation.GetTagItem("devicecommands.command.status"));
        Assert.Equal(3, operation.GetTagItem("devicecommands.polls"));
        Assert.Equal(ActivityStatusCode.Unset, operation.Status);
        Assert.Equal([PostSpan, GetSpan, GetSpan, GetSpan], trace.OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName));
        Assert.All(trace, s => Assert.Equal(operation.SpanId, s.ParentSpanId));
        Assert.DoesNotContain(spans, s => s.DisplayName == "WaitForCommand" && s.TraceId == operation.TraceId);
    }

    [Fact]
    public async Task A_post_answered_with_a_terminal_status_is_the_only_child_of_its_operation_span()
    {
        var clock = new VirtualClock();
        using var capture = new SpanCapture();
        var handler = new ScriptedHandler(clock, "done-cmd").Answer(HttpStatusCode.Created, """{"id":"done-cmd","status":"completed"}""");
        var (client, _) = ClientOver(handler, clock);

        await clock.RunAsync(() => client.Me.Devices["trace-dev"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com"))));

        var spans = capture.Spans;
        var operation = OperationOf(spans, "done-cmd");
        var post = Assert.Single(spans, s => s.ParentSpanId == operation.SpanId);
        Assert.Equal(PostSpan, post.DisplayName);
        Assert.Equal(operation.TraceId, post.TraceId);
        Assert.Equal("completed", operation.GetTagItem("devicecommands.command.status"));
        Assert.Equal(0, operation.GetTagItem("devicecommands.polls"));
    }

    [Fact]
    public async Task A_refused_post_ends_its_operation_span_as_an_error_with_the_post_under_it()
    {
        var clock = new VirtualClock();
        using var capture = new SpanCapture();
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.Forbidden, """{"error":{"code":"Forbidden","message":"no"}}""");
        var (client, _) = ClientOver(handler, clock);

        await Assert.ThrowsAsync<ODataError>(() => clock.RunAsync(() => client.Me.Devices["refused-dev"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")))));

        var spans = capture.Spans;
        var post = Assert.Single(spans, s => (string?)s.GetTagItem("url.path") == "/beta/me/devices/refused-dev/commands");
        var operation = Assert.Single(spans, s => s.SpanId == post.ParentSpanId);
        Assert.Equal("SendAndWaitForCommand", operation.DisplayName);
        Assert.Equal(operation.TraceId, post.TraceId);
        Assert.Equal(ActivityStatusCode.Error, operation.Status);
        Assert.Equal(nameof(ODataError), operation.StatusDescription);
    }
}
