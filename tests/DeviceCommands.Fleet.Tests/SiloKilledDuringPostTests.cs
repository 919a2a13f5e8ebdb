using DeviceCommands.Emulator;
using DeviceCommands.Samples.Fleet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// One wait on a cluster of 2 silo processes (the store as in <see cref="FleetClusterTests"/>), its silo killed while its
/// POST is at the service. A single wait loads the machine little: this class runs beside the <see cref="ClusterRuns"/>.
/// </summary>
public sealed class SiloKilledDuringPostTests(ITestOutputHelper output)
{
    private static readonly string? Redis = Environment.GetEnvironmentVariable("FLEET_REDIS") is { Length: > 0 } r ? r : null;

    [Fact]
    public async Task A_wait_whose_silo_dies_during_its_POST_ends_unknown_on_another_silo_and_is_not_sent_again()
    {
        // every answer takes 2 minutes: the POST is still at the service when its silo dies
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { LatencyRate = 1, Latency = TimeSpan.FromMinutes(2) });
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var cluster = await FleetCluster.StartAsync(Redis, emulator.BaseUrl, silos: 2, callbacks: false, FleetClusterTests.CallTimeout, budget.Token);
        Assert.Equal(FleetClusterTests.CallTimeout, cluster.Client.ServiceProvider.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        var key = "user-00/wait-0000";

        var start = FleetRun.StartWaitAsync(cluster, key, new WaitRequest("emu-laptop", "https://example.com/fleet/0000"), null, budget.Token);
        await UntilAsync(() => emulator.PostCount == 1, TimeSpan.FromSeconds(60));
        var host = await cluster.HostOfAsync(cluster.Client.GetGrain<IWaitGrain>(key));
        Assert.NotNull(host);
        host.Kill();
        output.WriteLine($"killed {host.Name} with the POST in flight");

        var calls = await start;
        await cluster.Board.WaitForAsync(1, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90), budget.Token);

        var outcome = Assert.Single(await cluster.Board.ReadAllAsync());
        output.WriteLine($"{outcome.Kind} on {outcome.Silo} after {calls} start calls");
        Assert.Equal(WaitOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(WaitOutcome.UnknownText, outcome.Status);
        Assert.Equal(host.Name, outcome.IntentSilo);
        Assert.NotEqual(host.Name, outcome.Silo);
        Assert.Equal(1, outcome.Posts);
        Assert.Equal(1, emulator.PostCount);
        Assert.Equal(0, emulator.DuplicatePostCount);
    }

    /// <summary>Waits for a condition of the emulator's counters, within a bound.</summary>
    private static async Task UntilAsync(Func<bool> condition, TimeSpan bound)
    {
        var deadline = DateTimeOffset.UtcNow + bound;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"not within {bound.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
