using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Emulator.Tests;

/// <summary>The client against an in-memory emulator, both on one <see cref="VirtualClock"/> driven by <see cref="VirtualClock.RunAsync(Func{Task}, CancellationToken)"/>.</summary>
public sealed class VirtualTimeTests
{
    private sealed record Run(ActionStatus Status, int Polls, TimeSpan Elapsed, string Statuses, string PollTimes, RealTime RealTime, int Gets, int Unanswered);

    /// <summary>A command whose life takes an hour (three steps of 20 minutes), waited for with the default attempt timeout of 30 s.</summary>
    private static async Task<Run> WaitForAnHourLongCommandAsync(int jitterSeed)
    {
        VirtualClock clock = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(20) });
        DeviceCommandsClient client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            HttpMessageHandler = emulator.CreateHandler(),
            TimeProvider = clock,
        });
        ProgressRecorder<Command> progress = new();
        CommandWaitOptions wait = new() { Timeout = TimeSpan.FromHours(2), JitterSeed = jitterSeed, Progress = progress };

        StallProbe probe = StallProbe.Start();
        CommandWaitResult result = await clock.RunAsync(() =>
            client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), wait));
        RealTime real = probe.Stop();

        IReadOnlyList<RecordedRequest> requests = emulator.GetRequests();
        RecordedRequest[] gets = [.. requests.Where(r => r.Method == "GET")];
        return new Run(
            result.Status,
            result.Polls,
            result.Elapsed,
            string.Join(",", progress.Items.Select(c => c.Status)),
            string.Join(",", gets.Select(r => (r.ReceivedAt - VirtualClock.DefaultStart).TotalSeconds)),
            real,
            gets.Length,
            requests.Count(r => r.StatusCode is null));
    }

    [Fact]
    public async Task AnHourLongCommand_UnderRunAsync_CompletesInUnderASecondOfRealTime_AndNoAttemptTimesOut()
    {
        await WaitForAnHourLongCommandAsync(jitterSeed: 1); // the first run of the test process also pays for the JIT

        Run run = await WaitForAnHourLongCommandAsync(jitterSeed: 1);

        Assert.Equal(ActionStatus.Completed, run.Status);
        Assert.Equal("Requesting,SentToTarget,Executing,Completed", run.Statuses);
        Assert.InRange(run.Elapsed, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromSeconds(31));
        run.RealTime.AssertWithin(TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(run.Polls, run.Gets); // one GET per poll: no attempt was timed out and sent again
        Assert.Equal(0, run.Unanswered);
    }

    [Fact]
    public async Task TwoRunsWithAJitterSeed_GiveIdenticalPollsStatusesAndElapsedTimes()
    {
        Run first = await WaitForAnHourLongCommandAsync(jitterSeed: 42);
        Run second = await WaitForAnHourLongCommandAsync(jitterSeed: 42);

        Assert.Equal(first with { RealTime = default }, second with { RealTime = default });
        Assert.True(first.Polls > 100, $"{first.Polls} polls"); // the schedule's delays grow to 30 s over an hour
    }

    [Fact]
    public async Task InjectedLatency_OnAVirtualClock_IsVirtualTime_TheClockMovesWhileTheRequestWaitsItOut()
    {
        VirtualClock clock = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions
        {
            TimeProvider = clock,
            LatencyRate = 1,
            Latency = TimeSpan.FromMinutes(10),
        });
        using HttpClient http = new(emulator.CreateHandler());

        StallProbe real = StallProbe.Start();
        HttpStatusCode status = await clock.RunAsync(async () =>
        {
            using HttpResponseMessage response = await http.GetAsync(emulator.BaseUrl + "/me/devices");
            return response.StatusCode;
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromMinutes(10), clock.GetUtcNow());
        real.Stop().AssertWithin(TimeSpan.Zero, TimeSpan.FromSeconds(5)); // plus however late a loaded machine ran its timers
    }

    [Fact]
    public async Task ARequestBeingAnswered_KeepsTheVirtualClockStill_EvenWhileItsBodyArrivesInRealTime()
    {
        VirtualClock clock = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock });
        using HttpClient http = new(emulator.CreateHandler());
        bool fired = false;
        using ITimer attemptTimeout = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);

        HttpStatusCode status = await clock.RunAsync(async () =>
        {
            using HttpResponseMessage response = await http.PostAsync(emulator.BaseUrl + "/me/devices/emu-laptop/commands", new SlowContent(TestEmulator.LaunchUriBody()));
            return response.StatusCode;
        });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.False(fired);
        Assert.Equal(VirtualClock.DefaultStart, clock.GetUtcNow());
    }

    [Fact]
    public async Task AWait_RidesOutScriptedOutages_AndAScriptedOutcome_OnVirtualTime()
    {
        VirtualClock clock = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(1) });
        DeviceCommandsClient client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            HttpMessageHandler = emulator.CreateHandler(),
            TimeProvider = clock,
            MaxRetries = 0,
        });
        Command posted = (await client.Me.Devices["emu-laptop"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))))!;
        emulator.Script.NextGets(posted.Id!, 2, HttpStatusCode.ServiceUnavailable);
        emulator.Script.SetOutcome(posted.Id!, "expired");

        CommandWaitResult result = await clock.RunAsync(() =>
            client.Me.Devices["emu-laptop"].Commands[posted.Id!].WaitForCompletionAsync(new CommandWaitOptions { JitterSeed = 3 }));

        Assert.Equal(ActionStatus.Expired, result.Status);
        Assert.Equal([503, 503], emulator.GetRequests().Where(r => r.Method == "GET").Take(2).Select(r => r.StatusCode));
        Assert.Equal("The command was not executed before it expired.", result.Command.Error);
    }

    /// <summary>A body that takes real time to arrive (its bytes are sent after a real delay), as a slow socket would.</summary>
    private sealed class SlowContent(string text) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            await stream.WriteAsync(bytes.AsMemory(0, 5));
            await Task.Delay(200).ConfigureAwait(false); // real time, which the clock must not use to move
            await stream.WriteAsync(bytes.AsMemory(5));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = System.Text.Encoding.UTF8.GetByteCount(text);
            return true;
        }
    }
}
