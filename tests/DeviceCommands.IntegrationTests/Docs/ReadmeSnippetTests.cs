using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;
using NSubstitute;
using RichardSzalay.MockHttp;

namespace DeviceCommands.IntegrationTests.Docs;

/// <summary>
/// The README's "The emulator" and "Testing your code" snippets copied literally, as a stranger would, and checked
/// against what the prose around them says.
/// </summary>
public sealed class ReadmeSnippetTests
{
    [Fact]
    public async Task ReadmeEmulatorInYourOwnTests_Snippet_CompletesWithOnePost()
    {
        // README "### In your own tests", verbatim but for Console.WriteLine
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(50) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });

        var result = await client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")),
            new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(20) });

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(1, emulator.PostCount);
    }

    [Fact]
    public async Task ReadmeInMemoryOnVirtualTime_Snippet_CompletesAnHourLongCommand_InUnderTenSecondsOfRealTime()
    {
        // README "## Testing your code", first snippet, verbatim (the literal snippet used to end in a
        // CommandWaitTimeoutException: the wait's default Timeout, 10 min, is shorter than the command's hour)
        var real = StallProbe.Start();
        var clock = new VirtualClock();
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(20) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = clock,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Timeout = TimeSpan.FromHours(2) })); // the default is 10 min

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.InRange(result.Elapsed, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1)); // "Completed after 01:00:00"
        real.Stop().AssertWithin(TimeSpan.Zero, TimeSpan.FromSeconds(10)); // plus however late a loaded machine ran its timers
        Assert.Equal(1, emulator.PostCount);
    }

    [Fact]
    public async Task ReadmeMockHttp_Snippet_GetsTheCommand_AndRetriesA503AtOnce_WithRetryDelayZero()
    {
        // README "**MockHttp, with test-friendly options.**", verbatim, plus a 503 first (the prose: "keeps retries instant")
        var http = new MockHttpMessageHandler();
        http.Expect(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1").Respond(HttpStatusCode.ServiceUnavailable);
        http.When(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1")
            .Respond("application/json", """{"id":"c1","status":"completed"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = http, RetryDelay = TimeSpan.Zero });

        var real = StallProbe.Start();
        var command = await client.Me.Devices["pc"].Commands["c1"].GetAsync();

        Assert.Equal(ActionStatus.Completed, command!.Status);
        // "at once": under the default RetryDelay's first retry (1 s less its 20 % jitter), plus however late a loaded
        // machine ran its timers
        real.Stop().AssertWithin(TimeSpan.Zero, TimeSpan.FromMilliseconds(700));
        http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task ReadmeMockHttp_WithAVirtualClockAndTrack_AsTheProseSays_WaitsOutRetryAfterAndPolls_OnVirtualTime()
    {
        var clock = new VirtualClock();
        var http = new MockHttpMessageHandler();
        http.Expect(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1")
            .Respond(_ => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { { "Retry-After", "600" } } });
        http.Expect(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1").Respond("application/json", """{"id":"c1","status":"executing"}""");
        http.When(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1").Respond("application/json", """{"id":"c1","status":"completed"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = clock.Track(http), TimeProvider = clock });

        var real = StallProbe.Start();
        var result = await clock.RunAsync(() => client.Me.Devices["pc"].Commands["c1"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromHours(1) }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.True(clock.GetUtcNow() - VirtualClock.DefaultStart >= TimeSpan.FromSeconds(600), $"{clock.GetUtcNow()}");
        real.Stop().AssertWithin(TimeSpan.Zero, TimeSpan.FromSeconds(10)); // plus however late a loaded machine ran its timers
    }

    [Fact]
    public async Task ReadmeNSubstitute_Snippet_WaitsOverTheMock_ToCompleted_OnVirtualTime()
    {
        // README "**Moq or NSubstitute on the builders.**", verbatim
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices["pc"].Commands["c1"].GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>>(), Arg.Any<CancellationToken>())
            .Returns(new Command { Id = "c1", Status = ActionStatus.Executing }, new Command { Id = "c1", Status = ActionStatus.Completed });
        var clock = new VirtualClock();

        var result = await clock.RunAsync(() => client.Me.Devices["pc"].Commands["c1"].WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = clock }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(2, result.Polls);
    }
}
