using System.Text;
using System.Text.Json;
using DeviceCommands.Client;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;

namespace DeviceCommands.Emulator.Tests.Callbacks;

/// <summary>
/// A wait with callbacks on virtual time, over the in-memory emulator (steps of 10 s: a command on emu-laptop completes
/// 30 s after its POST), with the callbacks delivered by hand at chosen instants.
/// </summary>
public sealed class CallbackWaitTests : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    private readonly VirtualClock _clock = new();
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/callbacks"));
    private readonly DeviceCommandsEmulator _emulator;
    private readonly DeviceCommandsClient _client;

    public CallbackWaitTests()
    {
        _emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = _clock, StepDelay = Step });
        _client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = _emulator.BaseUrl, HttpMessageHandler = _emulator.CreateHandler(), TimeProvider = _clock });
    }

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private CommandWaitOptions Options(bool callbacks = true) => new() { Callbacks = callbacks ? _receiver : null, JitterSeed = 7 };

    private int Gets => _emulator.GetRequests().Count(r => r.Method == "GET");

    private string PostedBackTo => JsonDocument.Parse(_emulator.GetCommands().Single().RequestBody).RootElement.GetProperty("postBackUri").GetString()!;

    private string Key => PostedBackTo[(PostedBackTo.LastIndexOf('/') + 1)..];

    private string CommandId => _emulator.GetCommands().Single().Id;

    /// <summary>Delivers a callback with <paramref name="status"/> at <paramref name="after"/> from the start, <paramref name="times"/> times.</summary>
    private void CallBackAt(TimeSpan after, string status, int times = 1, List<CallbackReceipt>? receipts = null) =>
        _clock.CreateTimer(_ =>
        {
            var body = Encoding.UTF8.GetBytes($"{{\"id\":\"{CommandId}\",\"status\":\"{status}\"}}");
            for (var i = 0; i < times; i++)
            {
                var receipt = _receiver.Receive(Key, body);
                receipts?.Add(receipt);
            }
        }, null, after, Timeout.InfiniteTimeSpan);

    private Task<CommandWaitResult> SendAndWait(CommandWaitOptions options, string device = "emu-laptop", Command? command = null) =>
        _clock.RunAsync(() => _client.Me.Devices[device].Commands.SendAndWaitAsync(command ?? Command.LaunchUri(new Uri("https://bing.com")), options));

    [Fact]
    public async Task The_post_carries_the_waits_postback_uri_and_the_callers_command_is_not_changed()
    {
        var command = Command.LaunchUri(new Uri("https://bing.com"));
        CallBackAt(3 * Step, "completed");
        await SendAndWait(Options(), command: command);
        Assert.Null(command.PostBackUri);
        Assert.Matches("^http://127.0.0.1:5000/callbacks/[A-Za-z0-9_-]{22}$", PostedBackTo);
        Assert.Equal(0, _receiver.ActiveWaits);
    }

    [Fact]
    public async Task A_command_with_its_own_postback_uri_keeps_it()
    {
        var command = Command.LaunchUri(new Uri("https://bing.com"));
        command.PostBackUri = "https://example.com/mine";
        await SendAndWait(Options(), command: command);
        Assert.Equal("https://example.com/mine", PostedBackTo);
    }

    [Fact]
    public async Task A_terminal_callback_ends_the_wait_at_its_instant_with_the_gets_answer()
    {
        CallBackAt(3 * Step, "completed");
        var result = await SendAndWait(Options());
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3 * Step, result.Elapsed);
        Assert.Equal(_clock.GetUtcNow(), _emulator.GetRequests().Last(r => r.Method == "GET").ReceivedAt);
    }

    [Fact]
    public async Task Without_callbacks_the_same_wait_ends_later_by_polling()
    {
        var result = await SendAndWait(Options(callbacks: false));
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.True(result.Elapsed > 3 * Step, $"ended after {result.Elapsed}");
    }

    [Fact]
    public async Task Non_terminal_callbacks_of_the_same_command_make_no_get()
    {
        var quiet = await SendAndWait(Options());
        var baseline = quiet.Polls;
        _emulator.Reset();
        CallBackAt(Step, "sentToTarget", times: 50);
        CallBackAt(2 * Step, "executing", times: 50);
        var result = await SendAndWait(Options());
        Assert.Equal(baseline, result.Polls);
    }

    [Fact]
    public async Task A_forged_terminal_callback_makes_one_get_and_no_false_outcome()
    {
        await SendAndWait(Options(), device: "emu-broken-hub");
        Assert.DoesNotContain(_emulator.GetRequests(), r => r.Method == "GET" && r.ReceivedAt == VirtualClock.DefaultStart + TimeSpan.FromSeconds(1));
        _emulator.Reset();
        var forgedAt = _clock.GetUtcNow() + TimeSpan.FromSeconds(1);
        List<CallbackReceipt> receipts = [];
        CallBackAt(TimeSpan.FromSeconds(1), "completed", receipts: receipts);
        var result = await SendAndWait(Options(), device: "emu-broken-hub");
        Assert.Equal(ActionStatus.ExecutionFailed, result.Status);
        Assert.Equal([CallbackReceipt.Accepted], receipts);
        Assert.Single(_emulator.GetRequests(), r => r.Method == "GET" && r.ReceivedAt == forgedAt);
    }

    [Fact]
    public async Task A_flood_of_a_thousand_terminal_claims_makes_a_handful_of_gets()
    {
        var honest = await SendAndWait(Options());
        _emulator.Reset();
        CallBackAt(TimeSpan.FromSeconds(1), "completed", times: 1000);
        CallBackAt(TimeSpan.FromSeconds(2), "expired", times: 1000);
        var result = await SendAndWait(Options());
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.InRange(result.Polls, honest.Polls + 1, honest.Polls + 4);
    }

    [Fact]
    public async Task A_thousand_terminal_claims_spread_over_ten_seconds_make_a_handful_of_gets()
    {
        var honest = await SendAndWait(Options());
        _emulator.Reset();
        for (var i = 0; i < 1000; i++)
        {
            CallBackAt(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(10 * i), "completed");
        }

        var result = await SendAndWait(Options());
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.InRange(result.Polls, honest.Polls + 1, honest.Polls + 10);
    }

    [Fact]
    public async Task Replayed_and_reordered_callbacks_are_harmless()
    {
        CallBackAt(TimeSpan.FromSeconds(1), "executing");
        CallBackAt(TimeSpan.FromSeconds(2), "completed");
        CallBackAt(TimeSpan.FromSeconds(3), "requesting");
        CallBackAt(TimeSpan.FromSeconds(4), "completed");
        CallBackAt(3 * Step, "completed");
        CallBackAt(3 * Step + TimeSpan.FromSeconds(1), "executing");
        var result = await SendAndWait(Options());
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3 * Step, result.Elapsed);
    }

    [Fact]
    public async Task A_callback_that_beats_the_posts_answer_is_not_lost()
    {
        var racing = new PostRacer(_receiver, _emulator.CreateHandler());
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = _emulator.BaseUrl, HttpMessageHandler = racing, TimeProvider = _clock });
        var options = Options();
        options.Timeout = TimeSpan.FromSeconds(2);
        _ = await Assert.ThrowsAsync<CommandWaitTimeoutException>(() => _clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), options)));
        Assert.Equal(CallbackReceipt.Accepted, racing.Receipt);
        // the callback's GET came at once after the POST; without it the first GET would be seconds later
        Assert.Equal(VirtualClock.DefaultStart, _emulator.GetRequests().First(r => r.Method == "GET").ReceivedAt);
    }

    [Fact]
    public async Task The_checkpoint_keeps_the_key_and_a_resumed_wait_is_woken_by_it()
    {
        CommandWaitCheckpoint? saved = null;
        var options = Options();
        options.Checkpoint = c => saved ??= c;
        options.Timeout = TimeSpan.FromMinutes(10);
        using var stop = new CancellationTokenSource();
        options.Progress = new Progress<Command>(_ => { });
        _clock.CreateTimer(_ => stop.Cancel(), null, TimeSpan.FromSeconds(12), Timeout.InfiniteTimeSpan);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _clock.RunAsync(() => _client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), options, stop.Token)));
        Assert.NotNull(saved);
        Assert.Equal(Key, saved.CallbackKey);
        Assert.Equal(0, _receiver.ActiveWaits);

        var restored = CommandWaitCheckpoint.Parse(saved.ToString());
        Assert.Equal(Key, restored.CallbackKey);
        CallBackAt(VirtualClock.DefaultStart + (3 * Step) - _clock.GetUtcNow(), "completed");
        var result = await _clock.RunAsync(() => _client.ResumeWaitAsync(restored, Options()));
        Assert.Equal(3 * Step, result.Elapsed);
    }

    [Fact]
    public async Task An_engines_poll_once_keeps_the_key_and_polls_on_the_slower_fallback_schedule()
    {
        var sent = await _client.Me.Devices["emu-laptop"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));
        var key = CommandCallbackReceiver.NewKey();
        var checkpoint = CommandWaitCheckpoint.Start("emu-laptop", sent!.Id!, timeProvider: _clock);
        var keyed = new CommandWaitCheckpoint(checkpoint.DeviceId, checkpoint.CommandId, 0, checkpoint.StartedAt, checkpoint.Deadline) { CallbackKey = key };
        var options = new CommandWaitOptions { JitterSeed = 7 };

        var plain = await _client.PollOnceAsync(checkpoint, options);
        var withKey = await _client.PollOnceAsync(keyed, options);

        Assert.Equal(key, withKey.Checkpoint.CallbackKey);
        Assert.Null(plain.Checkpoint.CallbackKey);
        var now = _clock.GetUtcNow();
        Assert.Equal((plain.NextPollAt!.Value - now) * CommandWaitOptions.CallbackFallbackFactor, withKey.NextPollAt!.Value - now);
    }

    [Theory]
    [InlineData("dcw1;d;c;1;2026-01-01T00:00:00.0000000+00:00;;;;not-a-key")]
    [InlineData("dcw1;d;c;1;2026-01-01T00:00:00.0000000+00:00;;;;AAAAAAAAAAAAAAAAAAAAAA;extra")]
    public void A_checkpoint_with_a_bad_callback_key_does_not_parse(string text) =>
        Assert.False(CommandWaitCheckpoint.TryParse(text, out _));

    /// <summary>Delivers a terminal callback to the POST's postBackUri before passing the POST on.</summary>
    private sealed class PostRacer(CommandCallbackReceiver receiver, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public CallbackReceipt? Receipt { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                var body = await request.Content!.ReadAsStringAsync(cancellationToken);
                var uri = JsonDocument.Parse(body).RootElement.GetProperty("postBackUri").GetString()!;
                Receipt = receiver.Receive(uri[(uri.LastIndexOf('/') + 1)..], "{\"status\":\"completed\"}"u8);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
