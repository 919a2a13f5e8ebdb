using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;

namespace DeviceCommands.Client.Benchmarks.Callbacks;

/// <summary>
/// The receiver under a flood from outside: a Kestrel app serving <c>MapDeviceCommandCallbacks</c> holds one live wait
/// (a command on the Kestrel emulator that stays <c>requesting</c> for 10 minutes); a child process of this executable
/// posts forged <c>completed</c> callbacks over loopback, first for fresh unknown keys, then for the live wait's key.
/// Prints the answers per second (the child's clock), the answers' codes, the GETs the wait made (the emulator's
/// count), and this process's managed heap (after a full collection) and working set before and after.
/// </summary>
internal static class CallbackFlood
{
    public static async Task<int> RunAsync(int unknown, int live, int connections)
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMinutes(10) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });
        using var stop = new CancellationTokenSource();
        var wait = client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Callbacks = host.Receiver }, stop.Token);
        while (emulator.GetCommands().Count == 0 || host.Receiver.ActiveWaits == 0)
        {
            await Task.Delay(5);
        }

        var command = emulator.GetCommands().Single();
        var postBackUri = JsonDocument.Parse(command.RequestBody).RootElement.GetProperty("postBackUri").GetString()!;
        var body = $"{{\"id\":\"{command.Id}\",\"status\":\"completed\"}}";
        Console.WriteLine($"{connections} connections from a child process; load average before: {LoopbackWaits.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| flood | callbacks | answers | answers per second | GETs the wait made | heap before → after | working set before → after |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (var (name, target, count) in new[] { ("unknown keys", host.Receiver.CallbackBaseUrl.AbsoluteUri, unknown), ("one live key", postBackUri, live) })
        {
            var (heap, working) = Memory();
            var gets = Gets(emulator);
            var result = await FloodAsync(target, name == "unknown keys", count, connections, body);
            var (heapAfter, workingAfter) = Memory();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {count:N0} | {result.Codes} | {count / result.Seconds:N0} | {Gets(emulator) - gets} | {heap:F1} → {heapAfter:F1} MB | {working:F0} → {workingAfter:F0} MB |"));
        }

        Console.WriteLine();
        Console.WriteLine($"the wait still running: {!wait.IsCompleted}; waits holding a key: {host.Receiver.ActiveWaits}; load average after: {LoopbackWaits.LoadAverage()}");
        await stop.CancelAsync();
        try
        {
            await wait;
            throw new InvalidOperationException("The wait ended on forged callbacks.");
        }
        catch (OperationCanceledException)
        {
            // the wait was cancelled, as meant: no forged callback ended it
        }

        return 0;
    }

    private static int Gets(DeviceCommandsEmulator emulator) => emulator.GetRequests().Count(r => r.Method == "GET");

    /// <summary>The managed heap after a full collection and the working set, in MB.</summary>
    private static (double Heap, double WorkingSet) Memory()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64 / 1048576.0);
    }

    private static async Task<(double Seconds, string Codes)> FloodAsync(string target, bool freshKeys, int count, int connections, string body)
    {
        var (file, prefix) = ChildCommand();
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(["flood-client", target, freshKeys ? "fresh" : "same", count.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture), body]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"flood-client exited with {process.ExitCode}: {await stderr}");
        }

        using var json = JsonDocument.Parse(line);
        var codes = string.Join(", ", json.RootElement.GetProperty("codes").EnumerateObject().Select(c => $"{c.Value.GetInt32():N0} × {c.Name}"));
        return (json.RootElement.GetProperty("seconds").GetDouble(), codes);
    }

    /// <summary>How to start this executable again: its apphost, or <c>dotnet</c> with the entry assembly.</summary>
    private static (string File, string[] Prefix) ChildCommand()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        return Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (processPath, [Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("The entry assembly's path is unknown.")])
            : (processPath, []);
    }
}

/// <summary>
/// The flood's child: <c>flood-client URL fresh|same COUNT CONNECTIONS BODY</c> posts COUNT callbacks with BODY over
/// CONNECTIONS connections, to <c>URL/{fresh key}</c> each or to URL itself, and prints one JSON line: the seconds taken
/// and how many answers had each status code.
/// </summary>
internal static class FloodClient
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 5)
        {
            Console.Error.WriteLine("usage: flood-client URL fresh|same COUNT CONNECTIONS BODY");
            return 2;
        }

        var (target, fresh, count, connections, body) = (args[0], args[1] == "fresh", int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetBytes(args[4]));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false });
        var codes = new int[600];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var url = fresh ? $"{target}/{CommandCallbackReceiver.NewKey()}" : target;
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var answer = await http.PostAsync(new Uri(url), content);
                Interlocked.Increment(ref codes[(int)answer.StatusCode]);
            }
        }));
        watch.Stop();
        var counted = string.Join(",", codes.Select((n, code) => (n, code)).Where(c => c.n > 0).Select(c => $"\"{c.code}\":{c.n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"seconds\":{watch.Elapsed.TotalSeconds:F3},\"codes\":{{{counted}}}}}"));
        return 0;
    }
}
