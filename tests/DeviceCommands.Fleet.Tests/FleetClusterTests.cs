using DeviceCommands.Samples.Fleet;
using Xunit.Abstractions;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// The fleet sample as a cluster of real silo processes over one store: Garnet embedded by default, or the Redis named
/// by <c>FLEET_REDIS</c> (<c>host:port</c>; <c>.ci/run</c> runs these tests once more against Debian's redis-server).
/// </summary>
[Collection(ClusterRuns.Name)]
public sealed class FleetClusterTests(ITestOutputHelper output)
{
    private static readonly string? Redis = Environment.GetEnvironmentVariable("FLEET_REDIS") is { Length: > 0 } r ? r : null;

    /// <summary>
    /// The driver's call timeout here: a start call in flight to the killed silo fails after it and is asked again
    /// (safe: the grain never sends twice). The sample's 20 s held every run's starts that long; 8 s is still more than
    /// the death takes to be declared (3 missed probes of 2 s, then 1 vote), so the call asked again finds a live silo.
    /// </summary>
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Waits_end_truly_through_a_silo_killed_midway_woken_by_postbacks_routed_to_them_and_no_command_is_sent_twice()
    {
        var options = new FleetOptions { Waits = 300, Silos = 3, KillSilo = true, Redis = Redis, StepDelay = TimeSpan.FromSeconds(2), ThrottleRate = 0.1, Seed = 7, ClientResponseTimeout = CallTimeout };

        var report = await FleetAssert.RunAsync(options, output, TimeSpan.FromMinutes(3));

        FleetAssert.KeptItsWord(report, options);
        Assert.True(report.Throttled > 0, "the emulator throttled some answers");

        // the postbacks woke the waits: one GET after the terminal postback instead of a schedule of polls
        Assert.True(report.PostBacks > 0);
        var known = report.Records.Where(r => r.Outcome!.CommandId is not null).ToList();
        Assert.True(known.Count(r => r.Outcome!.CallbackPolls > 0) >= known.Count * 9 / 10, "most waits ended on a poll a postback asked for");
        // about 2.3 per wait (the POST, one GET, the throttled answers sent again); polling alone makes about 5.7. The
        // bound leaves room for the fallback polls of a loaded machine; the README's figure is measured, not asserted
        Assert.True((double)report.Requests / report.Records.Count <= 3.0, $"{(double)report.Requests / report.Records.Count:0.00} requests per wait");

        // the kill took waits with it; a postback (routed through a live silo) or the watchdog brought each back elsewhere
        Assert.NotNull(report.KilledSilo);
        var resumed = report.Records.Where(r => r.Outcome!.ResumedByCallback || r.Outcome.ResumedByReminder).ToList();
        Assert.Contains(resumed, r => r.Outcome!.ResumedByCallback);
        Assert.All(resumed, r => Assert.NotEqual(report.KilledSilo, r.Outcome!.Silo));

        // a wait on the killed silo: the death declared (3 missed probes of 2 s, then 1 vote), the postback routed, one
        // GET; each within 40 s of its start, with slack for a machine shared with other work
        FleetAssert.EachWithin(report, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task With_every_postback_dropped_waits_still_end_by_polling_through_a_silo_killed_midway()
    {
        var options = new FleetOptions { Waits = 200, Silos = 3, KillSilo = true, Redis = Redis, PostBackDropRate = 1, Seed = 11, ClientResponseTimeout = CallTimeout };

        var report = await FleetAssert.RunAsync(options, output, TimeSpan.FromMinutes(3));

        FleetAssert.KeptItsWord(report, options);
        Assert.Equal(0, report.PostBacks);
        Assert.All(report.Records, r => Assert.Equal(0, r.Outcome!.CallbackPolls));

        // the waits of the killed silo came back by their watchdog (every 10 s), not by a postback
        var resumed = report.Records.Where(r => r.Outcome!.ResumedByReminder).ToList();
        Assert.NotEmpty(resumed);
        Assert.DoesNotContain(report.Records, r => r.Outcome!.ResumedByCallback);
        Assert.All(resumed, r => Assert.NotEqual(report.KilledSilo, r.Outcome!.Silo));

        // the fallback poll 10 s after the POST, or the death declared and one watchdog period: within 40 s, with slack
        FleetAssert.EachWithin(report, TimeSpan.FromSeconds(60));
    }
}
