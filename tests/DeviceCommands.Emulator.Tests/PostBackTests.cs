using System.Net;
using System.Text;
using System.Text.Json;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

namespace DeviceCommands.Emulator.Tests;

/// <summary>The emulator's postbacks, in memory on virtual time, to a handler that records what it is sent.</summary>
public sealed class PostBackTests
{
    private const string Target = "http://callbacks.test/cb/key";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(2);
    private readonly VirtualClock _clock = new();
    private readonly Recorder _recorder;

    public PostBackTests() => _recorder = new Recorder(_clock);

    private async Task<(DeviceCommandsEmulator Emulator, string Id)> PostAsync(Action<EmulatorOptions>? configure = null, string? postBackUri = Target, string device = "emu-laptop")
    {
        var options = new EmulatorOptions { TimeProvider = _clock, StepDelay = Step, PostBackHandler = _recorder };
        configure?.Invoke(options);
        var emulator = DeviceCommandsEmulator.CreateInMemory(options);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = _clock });
        var command = Command.LaunchUri(new Uri("https://bing.com"));
        command.PostBackUri = postBackUri;
        var sent = await client.Me.Devices[device].Commands.PostAsync(command);
        await _clock.RunAsync(() => Task.Delay(TimeSpan.FromMinutes(1), _clock));
        return (emulator, sent!.Id!);
    }

    [Fact]
    public async Task Every_status_change_after_the_post_is_posted_back_with_the_body_a_get_answers()
    {
        var (emulator, id) = await PostAsync();
        await using var _ = emulator;
        Assert.Equal(["sentToTarget", "executing", "completed"], _recorder.Posts.Select(p => p.Status));
        Assert.Equal([Step, 2 * Step, 3 * Step], _recorder.Posts.Select(p => p.At - VirtualClock.DefaultStart));
        Assert.All(_recorder.Posts, p => Assert.Equal(Target, p.Uri.AbsoluteUri));
        Assert.All(_recorder.Posts, p => Assert.StartsWith("{\"value\":{\"id\":\"" + id, p.Body, StringComparison.Ordinal));
        Assert.Equal(3, emulator.PostBackCount);
    }

    [Fact]
    public async Task A_clean_emulator_posts_back_the_clean_shape()
    {
        var (emulator, id) = await PostAsync(o => o.CleanJson = true);
        await using var _ = emulator;
        Assert.All(_recorder.Posts, p => Assert.StartsWith("{\"id\":\"" + id, p.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_without_postback_uri_is_not_followed()
    {
        var (emulator, _) = await PostAsync(postBackUri: null);
        await using var __ = emulator;
        Assert.Empty(_recorder.Posts);
        Assert.Equal(0, emulator.PostBackCount);
    }

    [Fact]
    public async Task Every_postback_dropped_sends_nothing()
    {
        var (emulator, _) = await PostAsync(o => o.PostBackDropRate = 1);
        await using var __ = emulator;
        Assert.Empty(_recorder.Posts);
        Assert.Equal(0, emulator.PostBackCount);
    }

    [Fact]
    public async Task Seeded_faults_delay_duplicate_and_reorder_the_same_way_on_every_run()
    {
        var (first, _) = await PostAsync(o => (o.PostBackDuplicateRate, o.PostBackReorderRate, o.PostBackDelayRate, o.Seed) = (0.5, 0.5, 0.3, 3));
        await using var a = first;
        var once = _recorder.Posts.Select(p => $"{p.Status}@{(p.At - VirtualClock.DefaultStart).TotalSeconds}").ToList();
        Assert.True(once.Count >= 3, string.Join(", ", once));
        Assert.Equal(once.Count, first.PostBackCount);

        var clock = new VirtualClock();
        var recorder = new Recorder(clock);
        var options = new EmulatorOptions { TimeProvider = clock, StepDelay = Step, PostBackHandler = recorder, PostBackDuplicateRate = 0.5, PostBackReorderRate = 0.5, PostBackDelayRate = 0.3, Seed = 3 };
        await using var second = DeviceCommandsEmulator.CreateInMemory(options);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = second.BaseUrl, HttpMessageHandler = second.CreateHandler(), TimeProvider = clock });
        var command = Command.LaunchUri(new Uri("https://bing.com"));
        command.PostBackUri = Target;
        await client.Me.Devices["emu-laptop"].Commands.PostAsync(command);
        await clock.RunAsync(() => Task.Delay(TimeSpan.FromMinutes(1), clock));
        Assert.Equal(once, recorder.Posts.Select(p => $"{p.Status}@{(p.At - VirtualClock.DefaultStart).TotalSeconds}"));
    }

    [Fact]
    public async Task Reordering_can_post_a_status_after_the_next_one()
    {
        var (emulator, _) = await PostAsync(o => (o.PostBackReorderRate, o.StepDelay) = (1, Step));
        await using var __ = emulator;
        Assert.Equal(["executing", "sentToTarget", "completed"], _recorder.Posts.Select(p => p.Status));
    }

    [Fact]
    public async Task Duplicates_are_sent_twice_and_delays_come_later_on_the_emulators_clock()
    {
        var (emulator, _) = await PostAsync(o => (o.PostBackDuplicateRate, o.PostBackDelayRate, o.PostBackDelay) = (1, 1, TimeSpan.FromMilliseconds(500)));
        await using var __ = emulator;
        Assert.Equal(["sentToTarget", "sentToTarget", "executing", "executing", "completed", "completed"], _recorder.Posts.Select(p => p.Status));
        Assert.Equal(Step + TimeSpan.FromMilliseconds(500), _recorder.Posts[0].At - VirtualClock.DefaultStart);
        Assert.Equal(6, emulator.PostBackCount);
    }

    [Fact]
    public async Task A_postback_that_hangs_holds_up_neither_the_command_nor_the_next_postback()
    {
        // real time: on a virtual clock a postback in flight stops the clock, by design
        var recorder = new Recorder(TimeProvider.System) { HangFirst = true };
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(20), PostBackHandler = recorder });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler() });
        var command = Command.LaunchUri(new Uri("https://bing.com"));
        command.PostBackUri = Target;
        await client.Me.Devices["emu-laptop"].Commands.PostAsync(command);
        await recorder.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["executing", "completed"], recorder.Posts.Select(p => p.Status));
        Assert.Equal("completed", emulator.GetCommands().Single().Status);
        Assert.Equal(3, emulator.PostBackCount);
    }

    [Fact]
    public async Task Over_a_socket_only_loopback_hosts_are_posted_to()
    {
        var clock = new VirtualClock();
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.Zero });
        using var client = new HttpClient(emulator.CreateHandler());
        var answer = await client.PostAsync(new Uri(emulator.BaseUrl + "/me/devices/emu-laptop/commands"),
            new StringContent("{\"type\":\"LaunchUri\",\"payload\":{\"uri\":\"https://bing.com\"},\"postBackUri\":\"http://example.com/cb\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var summary = JsonDocument.Parse(await client.GetStringAsync(new Uri(emulator.BaseUrl, "/_emulator"))).RootElement;
        Assert.Equal(0, summary.GetProperty("postBackCount").GetInt32());
        Assert.Equal(1, summary.GetProperty("postBackRefusedCount").GetInt32());
    }

    [Fact]
    public void The_rates_are_checked() =>
        Assert.Throws<ArgumentException>(() => DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { PostBackDropRate = 1.5 }));

    [Fact]
    public void The_command_line_sets_the_postback_faults()
    {
        Assert.True(Program.TryParse(["--post-back-drop-rate", "0.5", "--post-back-delay-rate=0.25", "--post-back-delay", "300ms", "--post-back-duplicate-rate", "0.1", "--post-back-reorder-rate", "0.2"], out var o, out _, out _, out var error), error);
        Assert.Equal((0.5, 0.25, TimeSpan.FromMilliseconds(300), 0.1, 0.2), (o.PostBackDropRate, o.PostBackDelayRate, o.PostBackDelay, o.PostBackDuplicateRate, o.PostBackReorderRate));
    }

    /// <summary>Records each postback: when, where, its status; the first can be made to hang until cancelled.</summary>
    private sealed class Recorder(TimeProvider clock) : HttpMessageHandler
    {
        private readonly List<(DateTimeOffset At, Uri Uri, string Body, string Status)> _posts = [];

        private int _hangFirst;

        /// <summary>Whether the first postback hangs (claimed atomically: postbacks can be in flight together).</summary>
        public bool HangFirst { get => Volatile.Read(ref _hangFirst) == 1; set => Volatile.Write(ref _hangFirst, value ? 1 : 0); }

        public TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<(DateTimeOffset At, Uri Uri, string Body, string Status)> Posts { get { lock (_posts) { return [.. _posts]; } } }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _hangFirst, 0) == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, clock, cancellationToken);
            }

            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var root = JsonDocument.Parse(body).RootElement;
            var command = root.TryGetProperty("value", out var value) ? value : root;
            lock (_posts)
            {
                _posts.Add((clock.GetUtcNow(), request.RequestUri!, body, command.GetProperty("status").GetString()!));
            }

            if (command.GetProperty("status").GetString() == "completed")
            {
                Completed.TrySetResult();
            }

            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }
}
