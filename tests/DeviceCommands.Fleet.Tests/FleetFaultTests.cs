using System.Text.RegularExpressions;
using DeviceCommands.Samples.Fleet;
using Xunit.Abstractions;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// The fleet through weather: its store stalls, two silos of three die, answers are lost. Category <c>FleetFaults</c>:
/// the README's test command leaves them out (the test project's default filter, <c>Category!=FleetFaults</c>) to stay
/// quick; <c>.ci/run</c> runs them in its redis-server step (<c>--filter Category=FleetFaults</c>), where a store can
/// be paused. Run them yourself with <c>dotnet test tests/DeviceCommands.Fleet.Tests --filter Category=FleetFaults</c>
/// (a redis-server on the PATH, or named by <c>FLEET_REDIS</c>).
/// </summary>
[Trait("Category", "FleetFaults")]
[Collection(ClusterRuns.Name)]
public sealed partial class FleetFaultTests(ITestOutputHelper output)
{
    private static readonly string? Redis = Environment.GetEnvironmentVariable("FLEET_REDIS") is { Length: > 0 } r ? r : null;

    [Theory]
    [InlineData("starts:8")]
    [InlineData("outcomes:15")]
    public async Task A_Redis_stall_with_no_silo_dead_makes_no_unknown_wait_loses_none_sends_none_twice_and_the_driver_exits_0(string pause)
    {
        await using var redis = await LocalRedisServer.StartAsync();
        var printed = new StringWriter();
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var exit = await Program.RunAsync(["--waits", "300", "--redis", redis.Endpoint, "--pause-redis", pause], printed, budget.Token);

        output.WriteLine(printed.ToString());
        Assert.Contains("redis-server continued", printed.ToString(), StringComparison.Ordinal);
        var summary = printed.ToString().TrimEnd().Split('\n')[^1];
        Assert.Matches(Summary(), summary);
        Assert.Contains(", 0 unknown (not sent again), 0 lost, 0 duplicate POSTs,", summary, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Two_silos_of_three_killed_a_few_seconds_apart_every_wait_starts_and_ends_within_120_s()
    {
        var options = new FleetOptions { Waits = 300, Silos = 3, KillSilos = 2, Redis = Redis, Seed = 5 };

        var report = await FleetAssert.RunAsync(options, output, TimeSpan.FromMinutes(5));

        Assert.Equal(2, report.Killed.Count);
        FleetAssert.KeptItsWord(report, options);
        FleetAssert.EachWithin(report, TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task Lost_answers_end_unknown_with_their_command_created_and_nothing_is_sent_twice()
    {
        var options = new FleetOptions { Waits = 300, Redis = Redis, LostAnswerRate = 0.1, Seed = 3 };

        var report = await FleetAssert.RunAsync(options, output, TimeSpan.FromMinutes(4));

        FleetAssert.KeptItsWord(report, options, lostAnswers: true);
        var unknown = report.Records.Where(r => r.Outcome!.Kind == WaitOutcomeKind.Unknown).ToList();
        Assert.NotEmpty(unknown);
        Assert.All(unknown, u => Assert.Single(report.CommandsByWait[u.Key]));
    }

    [Fact]
    public async Task Lost_answers_told_429_are_sent_again_and_the_duplicate_count_is_the_waits_with_two_commands()
    {
        var options = new FleetOptions { Waits = 300, Redis = Redis, LostAnswerRate = 0.1, LostAnswerStatus = 429, Seed = 3 };

        var report = await FleetAssert.RunAsync(options, output, TimeSpan.FromMinutes(4));

        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.RepeatedRequestIds);
        Assert.True(report.WaitsWithTwoCommands > 0, "some waits were told 429 for a command the service had created");

        // every command beyond the first of its wait counts, once: all the emulator created, less one per wait that has any
        var beyondTheFirst = report.Commands.Count - report.CommandsByWait.Count(w => w.Value.Count > 0);
        Assert.Equal(beyondTheFirst, report.DuplicatePosts);
        Assert.True(report.DuplicatePosts >= report.WaitsWithTwoCommands);
        Assert.Matches(Summary(), report.Summary);
        Assert.Contains($", {beyondTheFirst} duplicate POSTs,", report.Summary, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^300 waits: \d+ completed, \d+ failed, \d+ unknown \(not sent again\), \d+ lost, \d+ duplicate POSTs, \d+\.\d\d requests per wait, last outcome after \d+\.\d s")]
    private static partial Regex Summary();
}
