using System.Diagnostics;
using System.Globalization;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>What a row of the schedule comparison is.</summary>
public enum PolicyKind
{
    /// <summary>Our defaults, the real wait code.</summary>
    Ours,

    /// <summary>Our defaults with the emulator's whole-second <c>Retry-After</c> hints, the real wait code.</summary>
    OursHints,

    /// <summary>Our defaults with exact <c>retry-after-ms</c> hints (not what the emulator sends), the real wait code.</summary>
    OursHintsMs,

    /// <summary>Another SDK's common default, simulated.</summary>
    Other,

    /// <summary>Our schedule formula with other constants, simulated: a candidate, not what ships.</summary>
    Candidate,
}

/// <summary>One policy at one T: the polls per wait and the delay between the true end and its detection.</summary>
public sealed record ScheduleRow(double T, string Policy, PolicyKind Kind, double MeanPolls, double MeanDetection, double P95Detection, double MaxDetection, int MaxPolls);

/// <summary>
/// Issue 6, part 3: the wait schedule in a deterministic simulation on a fake clock. For each T, commands end after a time
/// drawn uniformly in [0.5 T, 1.5 T] (fixed seeds); our defaults run through the real
/// <see cref="CommandWaitExtensions.WaitForCompletionAsync"/> over a real client and an in-memory handler whose command
/// completes at the scripted fake time; the other SDKs' defaults are simulated as pure functions over the same end times.
/// Prints a markdown table and renders the chart (<see cref="ScheduleChart"/>).
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project tests/DeviceCommands.Client.Benchmarks -- schedule [--out docs/wait-schedule.png] [--commands 2000]</c>.</remarks>
public static class ScheduleReport
{
    private const string DeviceId = "6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c";
    private const string CommandId = "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266";
    private const string OursName = "ours: 1 s ×1.2 to 30 s, ±20 %";

    private static readonly double[] Ts = [3, 30, 300, 3600];

    /// <summary>The delay after poll n (n ≥ 1), in seconds, drawing any randomness from the wait's own generator.</summary>
    private delegate double DelayPolicy(Random random, int poll);

    private static readonly double[] Sequence = [1, 1, 1, 2, 4, 8, 16, 32];

    /// <summary>Common defaults of other SDKs.</summary>
    private static readonly (string Name, DelayPolicy Delay)[] Others =
    [
        ("fixed 1 s", (_, _) => 1),
        ("fixed 10 s", (_, _) => 10),
        ("exp. 2 s to 120 s, full jitter", (r, n) => r.NextDouble() * Math.Min(120, 2 * Math.Pow(2, n - 1))),
        ("1,1,1,2,4,8,16,32 s", (_, n) => Sequence[Math.Min(n - 1, Sequence.Length - 1)]),
    ];

    /// <summary>Our formula with other constants (growth, jitter low, jitter high, initial, max): candidates, simulated.</summary>
    /// <remarks>
    /// Chosen from a grid (growth 1.15–2, initial 1–6 s, max 10–60 s, jitter ±10/±20 %): at T = 30 s "fixed 10 s"
    /// beats any of these schedules whose ramp reaches its cap late or whose cap is well above 10 s, unless growth is
    /// lowered (more polls early, shorter gaps around 15–45 s) or the cap is cut to 10 s (about 3× the polls at 1 h).
    /// </remarks>
    private static readonly (string Name, double Growth, double JitterLow, double JitterHigh, double Initial, double Max)[] Candidates =
    [
        ("the former growth 1.5 (1 s to 30 s, ±20 %)", 1.5, 0.8, 1.2, 1, 30),
        ("max 10 s (1 s ×1.5, ±20 %)", 1.5, 0.8, 1.2, 1, 10),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = "docs/wait-schedule.png";
        var commands = 2000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--commands" when i + 1 < args.Length:
                    commands = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: schedule [--out docs/wait-schedule.png] [--commands 2000]");
                    return 2;
            }
        }

        if (!Path.IsPathRooted(output))
        {
            output = Path.Combine(RepositoryRoot(), output);
        }

        using var handler = new ScriptedCommandHandler();
        using var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(handler, disposeHandler: false))
        {
            BaseUrl = "https://graph.microsoft.com/beta",
        };
        var client = new DeviceCommandsClient(adapter);
        var builder = client.Me.Devices[DeviceId].Commands[CommandId];

        var rows = new List<ScheduleRow>();
        var checks = new List<string>();
        foreach (var t in Ts)
        {
            var watch = Stopwatch.StartNew();
            var ends = EndTimes(t, commands, seed: 6_000 + (int)t);
            var ours = await RunOursAsync(builder, handler, t, ends, HintMode.None, OursName, PolicyKind.Ours);
            rows.Add(ours);
            foreach (var (name, delay) in Others)
            {
                rows.Add(Simulate(t, name, PolicyKind.Other, ends, delay));
            }

            rows.Add(await RunOursAsync(builder, handler, t, ends, HintMode.WholeSeconds, "ours + Retry-After (3 steps, whole s)", PolicyKind.OursHints));
            rows.Add(await RunOursAsync(builder, handler, t, ends, HintMode.Milliseconds, "ours + retry-after-ms (3 steps, exact)", PolicyKind.OursHintsMs));
            foreach (var c in Candidates)
            {
                rows.Add(Simulate(t, c.Name, PolicyKind.Candidate, ends, Formula(c.Growth, c.JitterLow, c.JitterHigh, c.Initial, c.Max)));
            }

            // the pure model of our formula beside the real code: they should agree (different random draws)
            var model = Simulate(t, "model of ours", PolicyKind.Candidate, ends, Formula(1.2, 0.8, 1.2, 1, 30));
            checks.Add(string.Create(CultureInfo.InvariantCulture,
                $"T = {t} s: real code {ours.MeanPolls:F2} polls, {ours.MeanDetection:F2} s; pure model of the same formula {model.MeanPolls:F2} polls, {model.MeanDetection:F2} s ({watch.Elapsed.TotalSeconds:F1} s wall)"));
        }

        Console.WriteLine(Table(rows, commands));
        Console.WriteLine();
        Console.WriteLine("Check, the real wait code against a pure model of its formula (same end times, other jitter draws):");
        foreach (var line in checks)
        {
            Console.WriteLine("- " + line);
        }

        Console.WriteLine();
        Console.WriteLine(Verdicts(rows));
        ScheduleChart.Render(rows, output);
        Console.WriteLine($"Chart: {output}");
        return 0;
    }

    /// <summary>The end times of <paramref name="count"/> commands, uniform in [0.5 T, 1.5 T], in seconds.</summary>
    private static double[] EndTimes(double t, int count, int seed)
    {
        var random = new Random(seed);
        var ends = new double[count];
        for (var i = 0; i < count; i++)
        {
            // whole milliseconds, so that the real code (which schedules in whole milliseconds) and the model see the same end
            ends[i] = Math.Round(t * (0.5 + random.NextDouble()) * 1000) / 1000;
        }

        return ends;
    }

    /// <summary>Our real wait code, one command at a time, each on its own <see cref="VirtualClock"/>, which moves itself to its next timer.</summary>
    private static async Task<ScheduleRow> RunOursAsync(CommandItemRequestBuilder builder, ScriptedCommandHandler handler, double t, double[] ends, HintMode hints, string name, PolicyKind kind)
    {
        var polls = new int[ends.Length];
        var detection = new double[ends.Length];
        for (var i = 0; i < ends.Length; i++)
        {
            var clock = new VirtualClock();
            handler.Reset(clock, TimeSpan.FromSeconds(ends[i]), hints);
            var options = new CommandWaitOptions { TimeProvider = clock, JitterSeed = 1_000_000 + i, Timeout = null };
            var result = await clock.RunAsync(() => builder.WaitForCompletionAsync(options));
            if (result.Status != ActionStatus.Completed || result.Polls != handler.Requests)
            {
                throw new InvalidOperationException($"Wait {i} at T = {t}: status {result.Status}, {result.Polls} polls, {handler.Requests} requests.");
            }

            polls[i] = result.Polls;
            detection[i] = (result.Elapsed - handler.End).TotalSeconds;
        }

        return Summarize(t, name, kind, polls, detection);
    }

    /// <summary>A policy as a pure function: polls at 0, then after each delay, until the first poll at or after the end.</summary>
    private static ScheduleRow Simulate(double t, string name, PolicyKind kind, double[] ends, DelayPolicy delay)
    {
        var polls = new int[ends.Length];
        var detection = new double[ends.Length];
        for (var i = 0; i < ends.Length; i++)
        {
            var random = new Random(2_000_000 + i);
            var now = 0.0;
            var n = 1;
            while (now < ends[i])
            {
                now += delay(random, n);
                n++;
            }

            polls[i] = n;
            detection[i] = now - ends[i];
        }

        return Summarize(t, name, kind, polls, detection);
    }

    /// <summary>Timing/Backoff's formula: min(max, initial × growth^(n−1)) × jitter, clamped to max, whole milliseconds.</summary>
    private static DelayPolicy Formula(double growth, double jitterLow, double jitterHigh, double initial, double max) => (random, n) =>
    {
        var jittered = Math.Min(max, initial * Math.Pow(growth, Math.Min(n - 1, 128))) * (jitterLow + ((jitterHigh - jitterLow) * random.NextDouble()));
        return Math.Min(max, Math.Round(jittered * 1000) / 1000);
    };

    private static ScheduleRow Summarize(double t, string name, PolicyKind kind, int[] polls, double[] detection)
    {
        var sorted = detection.Order().ToArray();
        var p95 = sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];
        return new ScheduleRow(t, name, kind, polls.Average(), detection.Average(), p95, sorted[^1], polls.Max());
    }

    internal static string Table(IReadOnlyList<ScheduleRow> rows, int commands)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{commands} commands per T, ends uniform in [0.5 T, 1.5 T]; detection delay = time of the first poll that sees `completed` − the end."));
        w.WriteLine();
        w.WriteLine("| T | policy | mean polls | max polls | mean detection delay | p95 detection delay | max detection delay |");
        w.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var name = r.Kind switch
            {
                PolicyKind.Ours => $"**{r.Policy}** (real code)",
                PolicyKind.OursHints or PolicyKind.OursHintsMs => $"{r.Policy} (real code)",
                PolicyKind.Candidate => $"_candidate: {r.Policy}_ (simulated)",
                _ => r.Policy + " (simulated)",
            };
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.T:0} s | {name} | {r.MeanPolls:F2} | {r.MaxPolls} | {r.MeanDetection:F2} s | {r.P95Detection:F2} s | {r.MaxDetection:F2} s |"));
        }

        return w.ToString();
    }

    /// <summary>The targets: no listed default better on both at any T; with hints, detection within 0.5 s and polls ≤ steps + 2.</summary>
    internal static string Verdicts(IReadOnlyList<ScheduleRow> rows)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var group in rows.GroupBy(r => r.T))
        {
            var ours = group.Single(r => r.Kind == PolicyKind.Ours);
            var better = group.Where(r => r.Kind == PolicyKind.Other && r.MeanPolls < ours.MeanPolls && r.MeanDetection < ours.MeanDetection).ToList();
            w.WriteLine(better.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"- T = {group.Key} s: no listed default is better on both mean polls and mean detection delay (ours {ours.MeanPolls:F2} polls, {ours.MeanDetection:F2} s).")
                : string.Create(CultureInfo.InvariantCulture, $"- T = {group.Key} s: **dominated** by {string.Join(", ", better.Select(b => $"{b.Policy} ({b.MeanPolls:F2} polls, {b.MeanDetection:F2} s)"))}; ours {ours.MeanPolls:F2} polls, {ours.MeanDetection:F2} s."));
            foreach (var candidate in group.Where(r => r.Kind == PolicyKind.Candidate))
            {
                var beaten = group.Where(r => r.Kind == PolicyKind.Other && r.MeanPolls < candidate.MeanPolls && r.MeanDetection < candidate.MeanDetection).Select(r => r.Policy).ToList();
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  - candidate {candidate.Policy}: {candidate.MeanPolls:F2} polls, {candidate.MeanDetection:F2} s; {(beaten.Count == 0 ? "not dominated" : "dominated by " + string.Join(", ", beaten))}."));
            }

            foreach (var hinted in group.Where(r => r.Kind is PolicyKind.OursHints or PolicyKind.OursHintsMs))
            {
                var detectionMet = hinted.MeanDetection <= 0.5;
                var pollsMet = hinted.MaxPolls <= 3 + 2;
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  - {hinted.Policy}: mean detection {hinted.MeanDetection:F2} s (p95 {hinted.P95Detection:F2}, max {hinted.MaxDetection:F2}) {(detectionMet ? "≤" : ">")} 0.5 s; polls mean {hinted.MeanPolls:F2}, max {hinted.MaxPolls} {(pollsMet ? "≤" : ">")} 3 steps + 2."));
            }
        }

        return w.ToString();
    }

    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DeviceCommands.Client.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
