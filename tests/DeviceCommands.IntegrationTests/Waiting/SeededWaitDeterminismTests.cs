using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.IntegrationTests.Waiting;

/// <summary>A wait on an in-memory emulator with seeded faults and jitter gives the same requests at the same virtual times on every run.</summary>
public sealed class SeededWaitDeterminismTests
{
    // ---- Testing your code: "the same test gives the same polls, statuses and elapsed times on every run"
    [Fact]
    public async Task The_same_in_memory_test_with_seeded_503s_gives_the_same_requests_at_the_same_virtual_times_on_every_run()
    {
        var first = await RunWithFaultsAsync();
        for (var run = 0; run < 3; run++)
        {
            Assert.Equal(first, await RunWithFaultsAsync());
        }

        Assert.Contains("=503", first, StringComparison.Ordinal); // the faults were there, and retries backed off
    }

    private static async Task<string> RunWithFaultsAsync()
    {
        var clock = new VirtualClock();
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions
        {
            TimeProvider = clock,
            StepDelay = TimeSpan.FromMinutes(5),
            UnavailableRate = 0.3,
            Seed = 7,
        });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            HttpMessageHandler = emulator.CreateHandler(),
            TimeProvider = clock,
            RetryJitterSeed = 5,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { JitterSeed = 42, Timeout = TimeSpan.FromHours(1) }));
        var times = string.Join(",", emulator.GetRequests().Select(r => $"{r.Method}@{(r.ReceivedAt - VirtualClock.DefaultStart).TotalMilliseconds}={r.StatusCode}"));
        return $"{result.Status} {result.Polls} {result.Elapsed} {times}";
    }
}
