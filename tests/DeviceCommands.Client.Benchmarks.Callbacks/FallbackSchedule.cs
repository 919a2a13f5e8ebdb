using System.Globalization;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Benchmarks.Callbacks;

/// <summary>How a wait learns of its command's end in the schedule runs.</summary>
internal enum Mode
{
    /// <summary>No callbacks: the options' schedule (1 s ×1.2 to 30 s, ±20 %).</summary>
    PollingAlone,

    /// <summary>Callbacks on, every postback delivered (the receiver's in-memory endpoint).</summary>
    Delivered,

    /// <summary>Callbacks on, every postback dropped: the slower fallback schedule alone.</summary>
    Lost,
}

/// <summary>
/// The fallback schedule on virtual time, deterministic: the real <c>SendAndWaitAsync</c> against the in-memory emulator
/// (emu-laptop: three steps, then <c>completed</c>) posting back to <see cref="CommandCallbackReceiver.CreateHandler"/>,
/// on a <see cref="VirtualClock"/>. Prints the GET times of one wait per mode, then GETs per wait and detection delays
/// over many commands, beside a model of the formula with the factor 5 (the first choice) and 10 (the default).
/// </summary>
internal static class FallbackSchedule
{
    private static readonly double[] Examples = [6, 30, 300];
    private static readonly double[] Ts = [6, 30, 300, 3600];

    public static async Task<int> RunAsync(int commands)
    {
        Console.WriteLine($"GET times of one wait (seconds after the POST; JitterSeed 1; `*` = the GET that saw the end; fallback factor {CommandWaitOptions.CallbackFallbackFactor}):");
        Console.WriteLine();
        Console.WriteLine("| command ends at | polling alone | callbacks, postbacks delivered | callbacks, every postback lost |");
        Console.WriteLine("|---:|---|---|---|");
        foreach (var end in Examples)
        {
            var cells = new List<string>();
            foreach (var mode in Enum.GetValues<Mode>())
            {
                var run = await WaitAsync(TimeSpan.FromSeconds(end), mode, seed: 1);
                cells.Add(string.Join(", ", run.Gets.Select(g => Seconds(g) + (g >= run.End ? "*" : string.Empty))));
            }

            Console.WriteLine($"| {end:0} s | {string.Join(" | ", cells)} |");
        }

        Console.WriteLine();
        Console.WriteLine($"{commands} commands per T, ending uniformly in [0.5 T, 1.5 T], no timeout; detection delay = the wait's end − the command's end.");
        Console.WriteLine();
        Console.WriteLine("| T | mode | mean GETs | max GETs | mean detection delay | max detection delay |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        foreach (var t in Ts)
        {
            var random = new Random(20_000 + (int)t);
            var ends = Enumerable.Range(0, commands).Select(_ => TimeSpan.FromMilliseconds(Math.Round(t * (0.5 + random.NextDouble()) * 1000))).ToArray();
            foreach (var mode in Enum.GetValues<Mode>())
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var runs = new List<Run>();
                for (var i = 0; i < ends.Length; i++)
                {
                    runs.Add(await WaitAsync(ends[i], mode, seed: 100_000 + i));
                }

                Row(t, $"**{Name(mode)}** (real code)", runs.Select(r => (double)r.Gets.Count), runs.Select(r => r.Detection));
                Console.Error.WriteLine($"T = {t} s, {Name(mode)}: {watch.Elapsed.TotalSeconds:F1} s wall");
            }

            foreach (var factor in new[] { 5, 10 })
            {
                foreach (var mode in new[] { Mode.Delivered, Mode.Lost })
                {
                    var modelled = ends.Select((e, i) => Model(e.TotalSeconds, factor, mode, new Random(300_000 + i))).ToList();
                    Row(t, $"_model, factor {factor}: {Name(mode)}_", modelled.Select(m => (double)m.Gets), modelled.Select(m => m.Detection));
                }
            }
        }

        return 0;
    }

    private static string Name(Mode mode) => mode switch
    {
        Mode.PollingAlone => "polling alone",
        Mode.Delivered => "callbacks, postbacks delivered",
        _ => "callbacks, every postback lost",
    };

    private static void Row(double t, string name, IEnumerable<double> gets, IEnumerable<double> detection)
    {
        var (g, d) = (gets.ToList(), detection.ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {t:0} s | {name} | {g.Average():F2} | {g.Max():0} | {d.Average():F2} s | {d.Max():F2} s |"));
    }

    private static string Seconds(double s) => s.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>One wait, on its own clock and emulator; the command ends <paramref name="end"/> after its POST.</summary>
    private static async Task<Run> WaitAsync(TimeSpan end, Mode mode, int seed)
    {
        var clock = new VirtualClock();
        var receiver = new CommandCallbackReceiver(new Uri("http://127.0.0.1:5000/device-commands/callbacks"));
        using var endpoint = receiver.CreateHandler();
        var options = new EmulatorOptions { TimeProvider = clock, StepDelay = end / 3, PostBackHandler = endpoint, PostBackDropRate = mode == Mode.Lost ? 1 : 0 };
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(options);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = clock });
        var wait = new CommandWaitOptions { Callbacks = mode == Mode.PollingAlone ? null : receiver, JitterSeed = seed, Timeout = null };
        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), wait));
        if (result.Status != ActionStatus.Completed)
        {
            throw new InvalidOperationException($"The wait ended {result.Status}.");
        }

        var posted = emulator.GetCommands().Single().CreatedAt;
        var gets = emulator.GetRequests().Where(r => r.Method == "GET").Select(r => (r.ReceivedAt - posted).TotalSeconds).ToList();
        var endedAt = (end / 3 * 3).TotalSeconds;
        return new Run(gets, endedAt, result.Elapsed.TotalSeconds - endedAt);
    }

    /// <summary>
    /// The schedule's formula with another factor: after the POST, delays of min(30 f, f × 1.2^(max(n,1)−1) × jitter in [0.8, 1.2]) s; a delivered terminal postback makes one GET at the end, a lost one leaves the end to the next poll.
    /// </summary>
    private static (int Gets, double Detection) Model(double end, int factor, Mode mode, Random random)
    {
        var (now, gets) = (0.0, 0);
        for (var n = 0; ; n++)
        {
            now += Math.Min(30 * factor, factor * Math.Pow(1.2, Math.Max(n, 1) - 1) * (0.8 + (0.4 * random.NextDouble())));
            if (now >= end)
            {
                return mode == Mode.Delivered ? (gets + 1, 0) : (gets + 1, now - end);
            }

            gets++;
        }
    }

    private sealed record Run(List<double> Gets, double End, double Detection);
}
