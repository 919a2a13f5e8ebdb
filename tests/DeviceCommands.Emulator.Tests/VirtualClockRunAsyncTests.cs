using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

/// <summary>VirtualClock.RunAsync drives an hour-long command over a real socket, and reports a stall when work waits on something else.</summary>
public sealed class VirtualClockRunAsyncTests
{
    [Fact]
    public async Task RunAsync_OverARealSocket_ThroughTrack_AnHourLongCommandCompletes_WithNoAttemptSentTwice()
    {
        var clock = new VirtualClock();
        await using DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(20) });
        using var sockets = new SocketsHttpHandler();
        var client = DeviceCommands.Client.DeviceCommandsClient.Create(null, new DeviceCommands.Client.DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl, HttpMessageHandler = clock.Track(sockets), TimeProvider = clock,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")), new DeviceCommands.Client.CommandWaitOptions { Timeout = TimeSpan.FromHours(2), JitterSeed = 3 }));

        Assert.Equal(DeviceCommands.Client.Models.ActionStatus.Completed, result.Status);
        Assert.Equal(1, emulator.PostCount);
        Assert.Equal(result.Polls, emulator.GetRequests().Count(r => r.Method == "GET"));
        Assert.All(emulator.GetRequests(), r => Assert.NotNull(r.StatusCode));
    }

    [Fact]
    public async Task RunAsync_OverAnEmulatorWithATransitionLog_WorkThatWaitsOnSomethingElse_ReportsTheStall()
    {
        var clock = new VirtualClock { StallLimit = TimeSpan.FromMilliseconds(200) };
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, TransitionLog = TextWriter.Null });
        using HttpClient http = new(emulator.CreateHandler()) { BaseAddress = new Uri(emulator.BaseUrl + "/") };
        TaskCompletionSource never = new();

        Task run = clock.RunAsync(async () =>
        {
            using HttpResponseMessage posted = await http.PostAsync("me/devices/emu-laptop/commands", Json(LaunchUriBody())).ConfigureAwait(false);
            await never.Task.ConfigureAwait(false);
        });
        Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(run, first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Equal(1, emulator.PostCount);
    }
}
