using System.Diagnostics;
using System.Text;
using DeviceCommands.Emulator;
using DeviceCommands.Samples.Fleet;
using Xunit.Abstractions;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// The fleet sample as a cluster of real silo processes over one store: Garnet embedded by default, or the Redis named
/// by <c>FLEET_REDIS</c> (<c>host:port</c>; <c>.ci/run</c> runs these tests once more against Debian's redis-server).
/// </summary>
public sealed class FleetClusterTests(ITestOutputHelper output)
{
    /// <summary>
    /// How long any wait may take from its first start call to its outcome: a wait on a silo that lives takes its
    /// command's 3 steps of 2 s plus a poll or two (about 8 s); one on the killed silo waits for the cluster to declare
    /// the silo dead (Orleans' default probes: 3 missed probes of 5 s, then the votes: at most 30 s), then for its
    /// watchdog reminder (every 60 s from its start), then polls once more (the command has long ended). Slack: 30 s.
    /// </summary>
    private static readonly TimeSpan OutcomeBound = TimeSpan.FromSeconds(30 + 60 + 30);

    private static readonly string? Redis = Environment.GetEnvironmentVariable("FLEET_REDIS") is { Length: > 0 } r ? r : null;

    [Fact]
    public async Task A_thousand_waits_over_three_silos_end_truly_through_a_silo_killed_midway_and_no_command_is_sent_twice()
    {
        var options = new FleetOptions { Waits = 1000, Silos = 3, KillSilo = true, Redis = Redis, StepDelay = TimeSpan.FromSeconds(2), ThrottleRate = 0.1, Seed = 7 };
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clock = Stopwatch.StartNew();

        var report = await FleetRun.RunAsync(options, new OutputWriter(output), budget.Token);

        clock.Stop();
        await FleetRun.PrintAsync(report, new OutputWriter(output));
        output.WriteLine($"test: {clock.Elapsed.TotalSeconds:0.0} s");

        // every wait has an outcome
        Assert.Equal(1000, report.Records.Count);
        Assert.Equal(0, report.Lost);

        // no command request was sent twice, and no command was created twice. The emulator throttles POSTs like any
        // request, and counts a POST resent after a 429 with the same client-request-id (what the client's own retry
        // does) as a duplicate; the sample turns the client's retries off, and answers a 429 with a new intent and a
        // new client-request-id. So both proofs hold and are checked: the emulator's DuplicatePostCount (by
        // client-request-id) is 0, and no wait has two created commands (by the URI that only that wait sends).
        Assert.Equal(0, report.DuplicatePosts);
        Assert.True(report.Throttled > 0, "the emulator throttled some answers");
        var byWait = report.CommandsByWait;
        Assert.All(byWait, wait => Assert.True(wait.Value.Count <= 1, $"{wait.Key}: {wait.Value.Count} commands"));

        // every wait that knows its command ended with that command's true status
        foreach (var record in report.Records.Where(r => r.Outcome!.Kind != WaitOutcomeKind.Unknown))
        {
            var outcome = record.Outcome!;
            Assert.Contains(outcome.Kind, new[] { WaitOutcomeKind.Completed, WaitOutcomeKind.Failed });
            var command = Assert.Single(byWait[record.Key]);
            Assert.Equal(command.Id, outcome.CommandId);
            Assert.Equal(FleetRun.TrueStatusOf(record.DeviceId), outcome.Status);
            Assert.Equal(command.Status, outcome.Status);
        }

        // "unknown" only where a POST was in flight on the killed silo: its intent stored there, no answer stored
        var unknown = report.Records.Where(r => r.Outcome!.Kind == WaitOutcomeKind.Unknown).ToList();
        Assert.All(unknown, u =>
        {
            Assert.Equal(WaitOutcome.UnknownText, u.Outcome!.Status);
            Assert.Equal(report.KilledSilo, u.Outcome.IntentSilo);
            Assert.Null(u.Outcome.CommandId);
        });
        Assert.True(unknown.Count <= options.MaxStartsInFlight, $"{unknown.Count} unknown, more than the starts in flight");

        // the kill took waits with it, and their reminders brought them back on the other silos
        Assert.NotNull(report.KilledSilo);
        var resumed = report.Records.Where(r => r.Outcome!.ResumedByReminder).ToList();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, r => Assert.NotEqual(report.KilledSilo, r.Outcome!.Silo));

        // within the bound, and the whole run within 3 minutes
        Assert.All(report.Records, r => Assert.True(
            DateTimeOffset.FromUnixTimeMilliseconds(r.Outcome!.EndedAtMs) - r.StartedAt <= OutcomeBound,
            $"{r.Key} took {(DateTimeOffset.FromUnixTimeMilliseconds(r.Outcome!.EndedAtMs) - r.StartedAt).TotalSeconds:0.0} s"));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"the run took {clock.Elapsed.TotalSeconds:0} s");
    }

    [Fact]
    public async Task A_wait_whose_silo_dies_during_its_POST_ends_unknown_on_another_silo_and_is_not_sent_again()
    {
        // every answer takes 2 minutes: the POST is still at the service when its silo dies
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { LatencyRate = 1, Latency = TimeSpan.FromMinutes(2) });
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var cluster = await FleetCluster.StartAsync(Redis, emulator.BaseUrl, silos: 2, budget.Token);
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

    /// <summary>Lines written to it go to the test's output.</summary>
    private sealed class OutputWriter(ITestOutputHelper output) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value) => output.WriteLine(value ?? string.Empty);

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
