using System.Net;
using System.Text.Json.Nodes;

namespace DeviceCommands.Emulator.Tests;

public sealed class CommandLifecycleTests
{
    public static TheoryData<string, bool, string[], string?> SeededDevices()
    {
        TheoryData<string, bool, string[], string?> data = [];
        foreach (bool clean in new[] { false, true })
        {
            data.Add("emu-laptop", clean, ["requesting", "sentToTarget", "executing", "completed"], null);
            data.Add("emu-offline-phone", clean, ["requesting", "failedToSend"], "offline");
            data.Add("emu-sleepy-tablet", clean, ["requesting", "sentToTarget", "commandDropped"], "standby");
            data.Add("emu-broken-hub", clean, ["requesting", "sentToTarget", "executing", "executionFailed"], "failed");
            data.Add("emu-slow-console", clean, ["requesting", "sentToTarget", "executing", "executing", "executing", "executing", "executing", "expired"], "expired");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SeededDevices))]
    public async Task SeededDevice_MovesThroughItsStatuses_OneStepDelayEach(string deviceId, bool clean, string[] expected, string? errorContains)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.CleanJson = clean;
            o.StepDelay = TimeSpan.FromSeconds(2);
        });
        string id = await emu.CreateAsync(deviceId);

        List<string> seen = [];
        JsonObject command = [];
        foreach (string _ in expected)
        {
            command = await emu.GetCommandObjectAsync(deviceId, id);
            seen.Add(command["status"]!.GetValue<string>());
            emu.Time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(expected, seen);
        if (errorContains is null)
        {
            Assert.False(command.ContainsKey("error") && command["error"]!.GetValue<string>() != "null");
        }
        else
        {
            Assert.Contains(errorContains, command["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        emu.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(expected[^1], (await emu.GetCommandObjectAsync(deviceId, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_ChangesExactlyAtTheStepBoundary()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");

        emu.Time.Advance(TimeSpan.FromMilliseconds(999));
        string before = (await emu.GetCommandObjectAsync("emu-laptop", id))["status"]!.GetValue<string>();
        emu.Time.Advance(TimeSpan.FromMilliseconds(1));
        string after = (await emu.GetCommandObjectAsync("emu-laptop", id))["status"]!.GetValue<string>();

        Assert.Equal("requesting", before);
        Assert.Equal("sentToTarget", after);
    }

    [Fact]
    public async Task ZeroStepDelay_MakesEveryCommandTerminalAtOnce()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.StepDelay = TimeSpan.Zero);
        string id = await emu.CreateAsync("emu-laptop");

        Assert.Equal("completed", (await emu.GetCommandObjectAsync("emu-laptop", id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailsExecutionDevice_WithCustomError_ReportsThatText()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
            o.Devices = [new EmulatedDevice("hub") { Behavior = DeviceBehavior.FailsExecution, Error = "Toast service crashed." }]);
        string id = await emu.CreateAsync("hub");
        emu.Time.Advance(TimeSpan.FromSeconds(3));

        JsonObject command = await emu.GetCommandObjectAsync("hub", id);

        Assert.Equal("executionFailed", command["status"]!.GetValue<string>());
        Assert.Equal("Toast service crashed.", command["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RetryAfterHints_NonTerminal_CarrySecondsLeftInTheStepRoundedUp()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.RetryAfterHints = true;
            o.StepDelay = TimeSpan.FromSeconds(5);
        });
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage fresh = await emu.GetCommandAsync("emu-laptop", id);
        emu.Time.Advance(TimeSpan.FromSeconds(6.5));
        using HttpResponseMessage midway = await emu.GetCommandAsync("emu-laptop", id);
        emu.Time.Advance(TimeSpan.FromSeconds(3.4)); // 9.9 s in: 0.1 s left in sentToTarget
        using HttpResponseMessage almost = await emu.GetCommandAsync("emu-laptop", id);
        emu.Time.Advance(TimeSpan.FromSeconds(10));
        using HttpResponseMessage done = await emu.GetCommandAsync("emu-laptop", id);

        Assert.Equal(TimeSpan.FromSeconds(5), fresh.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(4), midway.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(1), almost.Headers.RetryAfter?.Delta);
        Assert.Null(done.Headers.RetryAfter);
    }

    [Fact]
    public async Task RetryAfterHints_Off_SendNoRetryAfter()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage response = await emu.GetCommandAsync("emu-laptop", id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData(DeviceBehavior.Completes, 0, "requesting", 1000)]
    [InlineData(DeviceBehavior.Completes, 2999, "executing", 1)]
    [InlineData(DeviceBehavior.Completes, 3000, "completed", null)]
    [InlineData(DeviceBehavior.Offline, 1000, "failedToSend", null)]
    [InlineData(DeviceBehavior.DropsCommands, 1500, "sentToTarget", 500)]
    [InlineData(DeviceBehavior.TooSlow, 6999, "executing", 1)]
    [InlineData(DeviceBehavior.TooSlow, 7000, "expired", null)]
    [InlineData(DeviceBehavior.Completes, -5000, "requesting", 1000)]
    public void Evaluate_GivesStatusAndTimeLeft(DeviceBehavior behavior, int ageMs, string status, int? remainingMs)
    {
        StatusAt at = CommandLifecycle.Evaluate(behavior, TimeSpan.FromMilliseconds(ageMs), TimeSpan.FromSeconds(1));

        Assert.Equal(status, at.Status);
        Assert.Equal(remainingMs is null ? null : TimeSpan.FromMilliseconds(remainingMs.Value), at.Remaining);
    }
}
