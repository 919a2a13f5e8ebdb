using System.Diagnostics;
using System.Globalization;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;

namespace DeviceCommands.Client.Benchmarks.Callbacks;

/// <summary>
/// One wait at a time on the Kestrel emulator (steps of 2 s: emu-laptop completes 6 s after the POST) over loopback,
/// polling alone and then with callbacks posted back to a Kestrel app serving <c>MapDeviceCommandCallbacks</c>:
/// requests per wait (the POST and the GETs, as the emulator counted them) and the detection delay, from the command's
/// terminal time on the emulator (its creation plus three steps, the same system clock) to the wait's end.
/// </summary>
internal static class LoopbackWaits
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(int runs)
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = Step });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });
        Console.WriteLine($"{runs} waits per mode, one at a time; load average before: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| mode | requests per wait (POST + GETs) | GETs per wait | postbacks per wait | detection delay: median | min | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var callbacks in new[] { false, true })
        {
            var (requests, postBacks) = (0, 0);
            var delays = new List<double>();
            var gets = 0;
            for (var i = 0; i < runs; i++)
            {
                emulator.Reset();
                var options = new CommandWaitOptions { Callbacks = callbacks ? host.Receiver : null };
                var result = await client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), options);
                var endedAt = DateTimeOffset.UtcNow;
                if (result.Status != ActionStatus.Completed)
                {
                    throw new InvalidOperationException($"The wait ended {result.Status}.");
                }

                delays.Add((endedAt - (emulator.GetCommands().Single().CreatedAt + (3 * Step))).TotalMilliseconds);
                gets += result.Polls;
                (requests, postBacks) = (requests + emulator.RequestCount, postBacks + emulator.PostBackCount);
            }

            var perWait = requests / (double)runs;
            delays.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(callbacks ? "callbacks" : "polling alone")} | {perWait:F2} | {gets / (double)runs:F2} | {postBacks / (double)runs:F2} | {delays[delays.Count / 2]:F1} ms | {delays[0]:F1} ms | {delays[^1]:F1} ms |"));
        }

        Console.WriteLine();
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>The machine's load average (Linux), as the figures were taken on a shared machine.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
