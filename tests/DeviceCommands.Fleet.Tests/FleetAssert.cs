using DeviceCommands.Samples.Fleet;
using Xunit.Abstractions;

namespace DeviceCommands.Fleet.Tests;

/// <summary>The promises every fleet run keeps, checked on its report.</summary>
internal static class FleetAssert
{
    /// <summary>
    /// Every wait has an outcome; no command was created twice for a wait and no client-request-id was sent twice; every
    /// wait that knows its command ended with that command's true status; "unknown" only where a POST was in flight on
    /// a killed silo (its intent stored there, no command id stored), never more than the starts in flight per kill;
    /// with <paramref name="lostAnswers"/>, also where a POST's answer was lost, and then the command exists.
    /// </summary>
    public static void KeptItsWord(FleetReport report, FleetOptions options, bool lostAnswers = false)
    {
        Assert.Equal(options.Waits, report.Records.Count);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.StartsNeverLanded);
        Assert.Equal(0, report.DuplicatePosts);
        Assert.All(report.Records, r => Assert.True(r.StartCalls > 0, $"{r.Key} never started"));
        var byWait = report.CommandsByWait;
        Assert.All(byWait, wait => Assert.True(wait.Value.Count <= 1, $"{wait.Key}: {wait.Value.Count} commands"));
        foreach (var record in report.Records.Where(r => r.Outcome!.Kind != WaitOutcomeKind.Unknown))
        {
            var outcome = record.Outcome!;
            var command = Assert.Single(byWait[record.Key]);
            Assert.Equal(command.Id, outcome.CommandId);
            Assert.Equal(FleetRun.TrueStatusOf(record.DeviceId), outcome.Status);
            Assert.Equal(command.Status, outcome.Status);
        }

        var killed = report.Killed.Select(k => k.Silo).ToHashSet();
        var unknown = report.Records.Where(r => r.Outcome!.Kind == WaitOutcomeKind.Unknown).ToList();
        Assert.All(unknown, u =>
        {
            Assert.Equal(WaitOutcome.UnknownText, u.Outcome!.Status);
            Assert.Null(u.Outcome.CommandId);
            if (lostAnswers && byWait[u.Key].Count == 1)
            {
                return; // the service created it, and its answer was lost: not sent again
            }

            Assert.True(u.Outcome.IntentSilo is { } silo && killed.Contains(silo), $"{u.Key}: its intent was stored on {u.Outcome.IntentSilo}, not a killed silo");
        });
        Assert.True(unknown.Count - (lostAnswers ? unknown.Count(u => byWait[u.Key].Count == 1) : 0) <= options.MaxStartsInFlight * Math.Max(1, killed.Count), $"{unknown.Count} unknown, more than the starts in flight");
    }

    /// <summary>The time from a wait's first start call to its outcome.</summary>
    public static TimeSpan Took(WaitRecord record) => DateTimeOffset.FromUnixTimeMilliseconds(record.Outcome!.EndedAtMs) - record.StartedAt;

    /// <summary>Every outcome came within <paramref name="bound"/> of its wait's start.</summary>
    public static void EachWithin(FleetReport report, TimeSpan bound) =>
        Assert.All(report.Records, r => Assert.True(Took(r) <= bound, $"{r.Key} took {Took(r).TotalSeconds:0.0} s"));

    /// <summary>Runs the fleet, prints its report to the test's output, and checks that its log folder is gone.</summary>
    public static async Task<FleetReport> RunAsync(FleetOptions options, ITestOutputHelper output, TimeSpan budget)
    {
        using var cancel = new CancellationTokenSource(budget);
        var writer = new LineWriter(output.WriteLine);
        var report = await FleetRun.RunAsync(options, writer, cancel.Token);
        await FleetRun.PrintAsync(report, writer);
        Assert.False(Directory.Exists(report.LogDirectory), $"{report.LogDirectory} was left behind");
        return report;
    }
}
