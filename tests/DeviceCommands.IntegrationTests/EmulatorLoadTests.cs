using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;

namespace DeviceCommands.IntegrationTests;

/// <summary>Load on the emulator over loopback, bounded in count and time.</summary>
[Collection(LoadTests.Name)]
public class EmulatorLoadTests
{
    [Fact]
    public async Task A_thousand_concurrent_pollers_lose_and_duplicate_nothing()
    {
        const int Pollers = 1000;
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(200) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var wait = new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(400), Timeout = TimeSpan.FromSeconds(30) };
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var results = await Task.WhenAll(Enumerable.Range(0, Pollers).Select(i =>
            client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri($"https://example.com/{i}")), wait, bound.Token)));

        var commands = emulator.GetCommands();
        Assert.All(results, r => Assert.Equal(ActionStatus.Completed, r.Status));
        Assert.Equal(Pollers, results.Select(r => r.Command.Id).Distinct().Count());
        Assert.Equal(Pollers, commands.Count);
        Assert.Equal(Pollers, emulator.PostCount);
        Assert.Equal(0, emulator.DuplicatePostCount);
        Assert.Equal(commands.Select(c => c.Id).Order(), results.Select(r => r.Command.Id!).Order());
        Console.WriteLine($"load: {Pollers} pollers, {results.Sum(r => r.Polls)} polls, {emulator.RequestCount} requests, slowest wait {results.Max(r => r.Elapsed)}");
    }

    [Fact]
    public async Task Memory_stays_flat_once_old_commands_are_forgotten()
    {
        const int MaxCommands = 200, Round = 2000;
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.Zero, MaxCommands = MaxCommands });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });
        var commands = client.Me.Devices["emu-laptop"].Commands;
        var payload = new string('x', 2000);

        async Task<string> RoundAsync()
        {
            string first = "";
            for (var batch = 0; batch < Round; batch += 100)
            {
                var sent = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => commands.PostAsync(Command.AppService("svc", "pfn", new Dictionary<string, object?> { ["p"] = payload }))));
                first = first.Length == 0 ? sent[0]!.Id! : first;
            }

            return first;
        }

        var firstOfRoundOne = await RoundAsync();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await RoundAsync();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(MaxCommands, emulator.GetCommands().Count);
        var forgotten = await Assert.ThrowsAsync<ODataError>(() => commands[firstOfRoundOne].GetAsync());
        Assert.Equal(404, forgotten.ResponseStatusCode);
        // 2,000 more commands of ~2 KB each would be ~4 MB if kept; allow noise from other tests running alongside
        Assert.True(after - before < 8 * 1024 * 1024, $"memory grew by {after - before} bytes over a second round of {Round} commands");
        Console.WriteLine($"memory: {before} -> {after} bytes after {2 * Round} commands with MaxCommands {MaxCommands}");
    }
}
