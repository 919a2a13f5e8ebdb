using System.Diagnostics;
using System.Net;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions;
using Polly;
using Polly.Simmy;

namespace DeviceCommands.IntegrationTests;

/// <summary>
/// Polly's chaos strategies (latency, faults, 429/503 outcomes) inside the client's retry, plus the emulator's own
/// throttling and 503s, while 100 SendAndWaitAsync run at once over loopback: every wait ends with the command's true
/// status or a typed error, deadlines hold to within a poll, and no command is posted twice.
/// </summary>
[Collection(LoadTests.Name)]
public class HardeningTests
{
    private const int Waits = 100;

    [Fact]
    public async Task Under_chaos_100_concurrent_sends_end_in_the_true_status_or_a_typed_error_and_none_is_posted_twice()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions
        {
            StepDelay = TimeSpan.FromMilliseconds(100),
            ThrottleRate = 0.10,
            ThrottleRetryAfter = TimeSpan.Zero,
            UnavailableRate = 0.05,
            LatencyRate = 0.05,
            Latency = TimeSpan.FromMilliseconds(200),
            Seed = 4242,
        });
        var injected = new int[3];
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            ConfigureResilience = builder => builder
                .AddChaosLatency(0.10, TimeSpan.FromMilliseconds(150))
                .AddChaosFault(0.05, () => { Interlocked.Increment(ref injected[0]); return new HttpRequestException("chaos: connection reset", null, HttpStatusCode.ServiceUnavailable); })
                .AddChaosOutcome(0.10, () =>
                {
                    var throttle = Random.Shared.Next(2) == 0;
                    Interlocked.Increment(ref injected[throttle ? 1 : 2]);
                    return new HttpResponseMessage(throttle ? HttpStatusCode.TooManyRequests : HttpStatusCode.ServiceUnavailable)
                    {
                        Content = new StringContent("{\"error\":{\"code\":\"Chaos\",\"message\":\"injected\"}}", System.Text.Encoding.UTF8, "application/json"),
                    };
                }),
        });
        var wait = new CommandWaitOptions
        {
            InitialDelay = TimeSpan.FromMilliseconds(20),
            MaxDelay = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(5),
        };

        var probe = StallProbe.Start();
        var runs = await Task.WhenAll(Enumerable.Range(0, Waits).Select(async i =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri($"https://example.com/{i}")), wait);
                return (Result: result, Error: (Exception?)null, watch.Elapsed);
            }
            catch (Exception e) when (e is ApiException or HttpRequestException or TimeoutException)
            {
                return (Result: (CommandWaitResult?)null, Error: e, watch.Elapsed);
            }
        }));

        var stall = probe.Stop().Stall;
        var commands = emulator.GetCommands();
        var byId = commands.ToDictionary(c => c.Id);
        var results = runs.Where(r => r.Result is not null).Select(r => r.Result!).ToList();
        Assert.True(results.Count >= Waits / 2, $"only {results.Count} of {Waits} waits returned a result");
        foreach (var result in results)
        {
            // the true status: what the emulator holds for that command
            Assert.Equal(ActionStatus.Completed, result.Status);
            Assert.Equal("completed", byId[result.Command.Id!].Status, ignoreCase: true);
        }

        // no command posted twice: each accepted command has its own client-request-id, and the emulator holds
        // exactly the commands whose POST was answered (the results, plus waits that failed after their POST)
        Assert.All(commands.GroupBy(c => c.ClientRequestId), g => Assert.Single(g));
        Assert.All(commands, c => Assert.False(string.IsNullOrEmpty(c.ClientRequestId)));
        Assert.True(commands.Count <= Waits, $"{commands.Count} commands for {Waits} sends");
        Assert.Equal(results.Count, results.Select(r => r.Command.Id).Distinct().Count());

        // deadlines hold to within a poll (MaxDelay) plus one attempt's worth of injected latency, plus the time the
        // machine's timers ran late meanwhile
        var bound = wait.Timeout!.Value + TimeSpan.FromSeconds(1.5) + stall;
        Assert.All(runs, r => Assert.True(r.Elapsed < bound, $"a wait took {r.Elapsed}, past {bound} (of which the machine's timers ran {stall} late)"));
        Assert.True(injected.Sum() > 0, "no chaos was injected");
        Console.WriteLine($"chaos: {results.Count} completed, {runs.Length - results.Count} typed errors ({string.Join(", ", runs.Where(r => r.Error is not null).GroupBy(r => r.Error!.GetType().Name).Select(g => $"{g.Key} {g.Count()}"))}); " +
            $"injected {injected[0]} faults, {injected[1]} 429s, {injected[2]} 503s; emulator saw {emulator.PostCount} POSTs, {commands.Count} commands, {emulator.RequestCount} requests");
    }
}
