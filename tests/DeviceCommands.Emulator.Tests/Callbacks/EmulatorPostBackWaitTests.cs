using DeviceCommands.Client;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;

namespace DeviceCommands.Emulator.Tests.Callbacks;

/// <summary>
/// A wait with callbacks against the in-memory emulator posting back to <see cref="CommandCallbackReceiver.CreateHandler"/>:
/// no socket, no port, virtual time (steps of 1 s: a command on emu-laptop completes 3 s after its POST).
/// </summary>
public sealed class EmulatorPostBackWaitTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private readonly VirtualClock _clock = new();
    private readonly CommandCallbackReceiver _receiver = new(new Uri("http://127.0.0.1:5000/device-commands/callbacks"));

    private async Task<(CommandWaitResult Result, DeviceCommandsEmulator Emulator)> RunAsync(Action<EmulatorOptions>? configure = null, bool callbacks = true, string device = "emu-laptop")
    {
        var options = new EmulatorOptions { TimeProvider = _clock, StepDelay = Step, PostBackHandler = _receiver.CreateHandler() };
        configure?.Invoke(options);
        var emulator = DeviceCommandsEmulator.CreateInMemory(options);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = _clock });
        var wait = new CommandWaitOptions { Callbacks = callbacks ? _receiver : null, JitterSeed = 11 };
        var result = await _clock.RunAsync(() => client.Me.Devices[device].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), wait));
        return (result, emulator);
    }

    [Fact]
    public async Task The_wait_ends_at_the_instant_of_the_terminal_postback_with_one_post_and_one_get()
    {
        var (result, emulator) = await RunAsync();
        await using var _ = emulator;
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3 * Step, result.Elapsed);
        Assert.Equal(1, result.Polls);
        Assert.Equal(2, emulator.RequestCount);
        Assert.Equal(3, emulator.PostBackCount);
        Assert.Equal(0, _receiver.ActiveWaits);
    }

    [Fact]
    public async Task Polling_alone_takes_more_requests_and_sees_the_end_later()
    {
        var (result, emulator) = await RunAsync(callbacks: false);
        await using var _ = emulator;
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.True(result.Polls >= 3, $"{result.Polls} polls");
        Assert.Equal(0, emulator.PostBackCount);
    }

    [Fact]
    public async Task With_every_postback_dropped_the_wait_still_ends_by_polling()
    {
        var (result, emulator) = await RunAsync(o => o.PostBackDropRate = 1);
        await using var _ = emulator;
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.True(result.Elapsed > 3 * Step);
        Assert.Equal(0, emulator.PostBackCount);
    }

    [Fact]
    public async Task Duplicated_reordered_and_delayed_postbacks_give_the_true_outcome()
    {
        var (result, emulator) = await RunAsync(o => (o.PostBackDuplicateRate, o.PostBackReorderRate, o.PostBackDelayRate, o.PostBackDelay, o.Seed) = (0.5, 0.5, 0.5, TimeSpan.FromMilliseconds(300), 5), device: "emu-broken-hub");
        await using var _ = emulator;
        Assert.Equal(ActionStatus.ExecutionFailed, result.Status);
        Assert.InRange(result.Elapsed, 3 * Step, 3 * Step + TimeSpan.FromMilliseconds(300));
        Assert.InRange(result.Polls, 1, 3);
    }

    [Fact]
    public async Task A_callback_for_a_wait_that_has_ended_is_404_and_sends_nothing()
    {
        var (result, emulator) = await RunAsync();
        await using var _ = emulator;
        var command = emulator.GetCommands().Single();
        var postBackUri = System.Text.Json.JsonDocument.Parse(command.RequestBody).RootElement.GetProperty("postBackUri").GetString()!;
        var requests = emulator.RequestCount;
        using var endpoint = new HttpClient(_receiver.CreateHandler());
        var late = await endpoint.PostAsync(new Uri(postBackUri), new StringContent($"{{\"id\":\"{command.Id}\",\"status\":\"completed\"}}"));
        var malformed = await endpoint.PostAsync(new Uri(_receiver.CallbackBaseUrl + "/not-a-key"), new StringContent("{}"));
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(requests, emulator.RequestCount);
    }

    [Fact]
    public async Task A_step_that_is_not_a_whole_number_of_milliseconds_still_posts_every_change()
    {
        var step = TimeSpan.FromTicks(29_003_333); // 2.9003333 s: each status lasts a third of a millisecond past 2,900 ms
        var (result, emulator) = await RunAsync(o => o.StepDelay = step).WaitAsync(TimeSpan.FromSeconds(30));
        await using var _ = emulator;
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, emulator.PostBackCount);
        Assert.Equal(1, result.Polls);
        Assert.InRange(result.Elapsed, 3 * step, (3 * step) + TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Many_waits_at_once_each_end_at_their_own_postback()
    {
        var options = new EmulatorOptions { TimeProvider = _clock, StepDelay = Step, PostBackHandler = _receiver.CreateHandler() };
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(options);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = _clock });
        var wait = new CommandWaitOptions { Callbacks = _receiver, JitterSeed = 11 };
        var devices = new[] { "emu-laptop", "emu-offline-phone", "emu-sleepy-tablet", "emu-broken-hub", "emu-laptop" };
        var results = await _clock.RunAsync(() => Task.WhenAll(devices.Select(d => client.Me.Devices[d].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), wait))));
        Assert.Equal([ActionStatus.Completed, ActionStatus.FailedToSend, ActionStatus.CommandDropped, ActionStatus.ExecutionFailed, ActionStatus.Completed], results.Select(r => r.Status));
        Assert.All(results, r => Assert.Equal(1, r.Polls));
    }
}
