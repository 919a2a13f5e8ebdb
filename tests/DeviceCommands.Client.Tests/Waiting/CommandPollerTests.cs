using System.Diagnostics;
using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Tests.Waiting;

/// <summary>What a wait tells the outside world: logs and spans, and never a token.</summary>
public class CommandPollerTests
{
    [Fact]
    public async Task A_whole_send_and_wait_logs_each_status_change_and_no_token()
    {
        var clock = new VirtualClock();
        var logs = new LogCapture();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.Created, """{"id":"cmd-1","status":"requesting"}""")
            .Answer(HttpStatusCode.OK, """{"value":{"id":"cmd-1","status":"sentToTarget"}}""")
            .Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "1"))
            .Answer(HttpStatusCode.OK, """{"id":"cmd-1","status":"executing"}""")
            .Always(HttpStatusCode.OK, """{"id":"cmd-1","status":"completed"}""");
        var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions
        {
            HttpMessageHandler = handler, TimeProvider = clock, LoggerFactory = logs, MaxRetries = 0,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["dev-1"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { JitterSeed = 1 }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        var changes = logs.Entries.Where(l => l.Message.StartsWith("Command cmd-1 on device dev-1 is now", StringComparison.Ordinal)).Select(l => l.Message.Split(' ')[7]).ToList();
        Assert.Equal(["requesting", "sentToTarget", "executing", "completed"], changes);
        Assert.All(logs.Entries.Where(l => l.Message.StartsWith("Command", StringComparison.Ordinal)), l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.All(handler.Requests, r => Assert.Equal("Bearer " + FakeCredential.Token, r.Authorization));
        Assert.DoesNotContain(FakeCredential.Token, logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("bing.com", logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_is_one_span_tagged_with_the_final_status_and_its_polls_are_child_spans()
    {
        var clock = new VirtualClock();
        using var capture = new SpanCapture();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.OK, """{"id":"span-cmd","status":"executing"}""")
            .Always(HttpStatusCode.OK, """{"id":"span-cmd","status":"expired"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = clock });

        await clock.RunAsync(() => client.Me.Devices["span-dev"].Commands["span-cmd"].WaitForCompletionAsync());

        var spans = capture.Spans;
        var wait = Assert.Single(spans, s => s.DisplayName == "WaitForCommand" && (string?)s.GetTagItem("devicecommands.command.id") == "span-cmd");
        var polls = spans.Where(s => s.ParentSpanId == wait.SpanId).ToList();

        Assert.Equal("expired", wait.GetTagItem("devicecommands.command.status"));
        Assert.Equal(2, wait.GetTagItem("devicecommands.polls"));
        Assert.Equal(2, polls.Count);
        Assert.All(polls, p => Assert.Equal("GET /beta/me/devices/{id}/commands/{id}", p.DisplayName));
    }

    [Fact]
    public async Task A_pending_wait_keeps_the_ids_and_not_the_builder_it_was_given()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.OK, """{"id":"held-cmd","status":"executing"}""")
            .Always(HttpStatusCode.OK, """{"id":"held-cmd","status":"completed"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = clock });

        var (wait, builder) = StartWait(client);
        Assert.Single(handler.Requests); // the first poll is done; the wait sleeps on the clock
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var collected = !builder.IsAlive;
        var result = await clock.RunAsync(() => wait);

        Assert.True(collected, "the sleeping wait still held the builder it was given");
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.All(handler.Requests, r => Assert.Equal("/beta/me/devices/held-dev/commands/held-cmd", r.Uri.AbsolutePath));
    }

    [Fact]
    public async Task A_pending_wait_without_a_timeout_lets_its_last_observed_command_go()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock)
            .Answer(HttpStatusCode.OK, """{"id":"gone-cmd","status":"executing"}""")
            .Always(HttpStatusCode.OK, """{"id":"gone-cmd","status":"completed"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, TimeProvider = clock });
        var seen = new WeakProgress();

        var wait = client.Me.Devices["gone-dev"].Commands["gone-cmd"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = null, JitterSeed = 3, Progress = seen });
        Assert.Single(handler.Requests); // the first poll is done; the wait sleeps on the clock
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var collected = seen.First is { IsAlive: false };
        var result = await clock.RunAsync(() => wait);

        Assert.True(collected, "a wait that can never time out still held its last observed command while it slept");
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal("completed", result.Command.RawStatus);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (Task<CommandWaitResult> Wait, WeakReference Builder) StartWait(DeviceCommandsClient client)
    {
        var builder = client.Me.Devices["held-dev"].Commands["held-cmd"];
        return (builder.WaitForCompletionAsync(new CommandWaitOptions { JitterSeed = 3 }), new WeakReference(builder));
    }

    /// <summary>Keeps a weak reference to the first command a wait reports, nothing strong.</summary>
    private sealed class WeakProgress : IProgress<Command>
    {
        public WeakReference? First { get; private set; }

        public void Report(Command value) => First ??= new WeakReference(value);
    }
}
