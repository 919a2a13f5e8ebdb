using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace DeviceCommands.Emulator.Tests;

public sealed class DeviceCommandsEmulatorTests
{
    [Fact]
    public async Task StartAsync_ListensOnAFreeLoopbackPort_BaseUrlEndsInBeta()
    {
        await using DeviceCommandsEmulator first = await DeviceCommandsEmulator.StartAsync();
        await using DeviceCommandsEmulator second = await DeviceCommandsEmulator.StartAsync();

        Assert.Equal("http", first.BaseUrl.Scheme);
        Assert.Equal("127.0.0.1", first.BaseUrl.Host);
        Assert.Equal("/beta", first.BaseUrl.AbsolutePath);
        Assert.NotEqual(0, first.BaseUrl.Port);
        Assert.NotEqual(first.BaseUrl.Port, second.BaseUrl.Port);
    }

    [Fact]
    public async Task DisposeAsync_StopsTheServer_AndCanBeCalledTwice()
    {
        DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync();
        Uri devices = new(emulator.BaseUrl + "/me/devices");
        using HttpClient http = new();
        using (HttpResponseMessage response = await http.GetAsync(devices))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await emulator.DisposeAsync();
        await emulator.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(devices));
    }

    [Fact]
    public async Task Counters_CountRequestsPostsAndDuplicateClientRequestIds()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        (await emu.Http.GetAsync("me/devices")).Dispose();
        (await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody(), "req-1")).Dispose();
        (await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody(), "req-2")).Dispose();
        (await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody(), "req-1")).Dispose();
        (await emu.PostAsync("emu-laptop", "not json", "req-2")).Dispose();
        (await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody())).Dispose();

        Assert.Equal(6, emu.Emulator.RequestCount);
        Assert.Equal(5, emu.Emulator.PostCount);
        Assert.Equal(2, emu.Emulator.DuplicatePostCount);
        Assert.Equal(4, emu.Emulator.GetCommands().Count);
    }

    [Fact]
    public async Task GetCommands_SnapshotsWhatWasPosted_OldestFirst_WithCurrentStatus()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string body = TestEmulator.LaunchUriBody("https://example.com/a");
        using HttpResponseMessage first = await emu.PostAsync("emu-laptop", body, "abc");
        string firstId = (await TestEmulator.ReadJsonAsync(first))["id"]!.GetValue<string>();
        emu.Time.Advance(TimeSpan.FromSeconds(1));
        string secondId = await emu.CreateAsync("emu-broken-hub", TestEmulator.AppServiceBody);

        IReadOnlyList<EmulatedCommand> commands = emu.Emulator.GetCommands();

        Assert.Equal([firstId, secondId], commands.Select(c => c.Id));
        Assert.Equal(new EmulatedCommand(firstId, "emu-laptop", "LaunchUri", body, TestEmulator.Start, "abc", "sentToTarget"), commands[0]);
        Assert.Equal("AppService", commands[1].Type);
        Assert.Null(commands[1].ClientRequestId);
        Assert.Equal("requesting", commands[1].Status);
    }

    [Fact]
    public async Task Reset_ForgetsCommandsAndZeroesCounters()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");
        (await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody(), "same")).Dispose();

        emu.Emulator.Reset();

        Assert.Equal(0, emu.Emulator.RequestCount);
        Assert.Equal(0, emu.Emulator.PostCount);
        Assert.Empty(emu.Emulator.GetCommands());
        using HttpResponseMessage gone = await emu.GetCommandAsync("emu-laptop", id);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        (await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody(), "same")).Dispose();
        Assert.Equal(0, emu.Emulator.DuplicatePostCount);
    }

    [Fact]
    public async Task ParallelPosts_200_Create200DistinctCommands()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        string[] ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            emu.CreateAsync(EmulatorOptions.DefaultDevices[i % 5].Id, TestEmulator.LaunchUriBody($"https://example.com/{i}"))));

        Assert.Equal(200, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(200, emu.Emulator.PostCount);
        Assert.Equal(0, emu.Emulator.DuplicatePostCount);
        Assert.Equal(200, emu.Emulator.GetCommands().Count);
    }

    [Fact]
    public async Task MaxCommands_Exceeded_ForgetsTheOldestFirst()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.MaxCommands = 3);
        List<string> ids = [];
        for (int i = 0; i < 5; i++)
        {
            ids.Add(await emu.CreateAsync("emu-laptop"));
        }

        Assert.Equal(ids.Skip(2), emu.Emulator.GetCommands().Select(c => c.Id));
        using HttpResponseMessage oldest = await emu.GetCommandAsync("emu-laptop", ids[0]);
        await TestEmulator.AssertErrorAsync(oldest, HttpStatusCode.NotFound, "ResourceNotFound");
        using HttpResponseMessage kept = await emu.GetCommandAsync("emu-laptop", ids[2]);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task TransitionLog_WritesOneLinePerTransition_FromOneTimer()
    {
        StringWriter log = new();
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.TransitionLog = log);
        string id = await emu.CreateAsync("emu-broken-hub");

        for (int i = 0; i < 20; i++)
        {
            emu.Time.Advance(TimeSpan.FromMilliseconds(250));
        }

        string prefix = $"cmd {id[..8]}… on emu-broken-hub: ";
        Assert.Equal(
            [$"{prefix}posted -> requesting", $"{prefix}requesting -> sentToTarget", $"{prefix}sentToTarget -> executing", $"{prefix}executing -> executionFailed"],
            log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task StartAsync_WithoutLoggerFactory_AndWithOne_BothServe()
    {
        using Microsoft.Extensions.Logging.LoggerFactory factory = new();
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.LoggerFactory = factory);

        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StartAsync_NonLoopbackEndpoint_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            DeviceCommandsEmulator.StartAsync(null, [new IPEndPoint(IPAddress.Any, 0)], CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsIOException()
    {
        using TcpListener blocker = new(IPAddress.Loopback, 0);
        blocker.Start();
        int port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        await Assert.ThrowsAnyAsync<IOException>(() =>
            DeviceCommandsEmulator.StartAsync(null, [new IPEndPoint(IPAddress.Loopback, port)], CancellationToken.None));
    }

    [Fact]
    public async Task ClientRequestId_IsEchoedOnTheAnswer()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody(), "echo-me");

        Assert.Equal("echo-me", response.Headers.GetValues("client-request-id").Single());
        JsonObject command = await TestEmulator.ReadJsonAsync(response);
        Assert.Equal("requesting", command["status"]!.GetValue<string>());
    }
}
