using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// Issue 6, part 4: many waits at once. Starts N (default 10,000) concurrent
/// <see cref="CommandWaitExtensions.WaitForCompletionAsync"/> calls on one client over an in-memory handler whose
/// commands stay <c>executing</c> until released, on a <see cref="VirtualClock"/>; advances the clock by hand so that
/// each wait polls a few times; measures the memory retained per wait, the threads, and the CPU time per poll; then
/// releases the commands and checks that every wait completes.
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project tests/DeviceCommands.Client.Benchmarks -- manywaits [--waits 10000] [--seconds 10] [--timeout-minutes M]</c> (no timeout unless given: a wait with one keeps its last observed command).</remarks>
public static class ManyWaitsReport
{
    private const string DeviceId = "6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var waits = 10_000;
        var seconds = 10;
        TimeSpan? timeout = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--waits" when i + 1 < args.Length:
                    waits = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds" when i + 1 < args.Length:
                    seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--timeout-minutes" when i + 1 < args.Length:
                    timeout = TimeSpan.FromMinutes(int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: manywaits [--waits 10000] [--seconds 10] [--timeout-minutes M]");
                    return 2;
            }
        }

        var clock = new VirtualClock();
        using var handler = new ReleasableHandler();
        using var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(handler, disposeHandler: false))
        {
            BaseUrl = "https://graph.microsoft.com/beta",
        };
        var client = new DeviceCommandsClient(adapter);

        // one options instance for all waits (an instance may be shared); no timeout unless asked, default schedule and jitter
        var options = new CommandWaitOptions { TimeProvider = clock, Timeout = timeout };

        // warm-up: JIT, HttpClient and Kiota caches, the first timers
        await RunBatchAsync(client, clock, handler, options, Ids(200, "warm"), seconds);

        var ids = Ids(waits, "cmd");
        var tasks = new Task<CommandWaitResult>[waits];
        handler.Reset();

        using var process = Process.GetCurrentProcess();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var threadsBefore = process.Threads.Count;
        var poolBefore = ThreadPool.ThreadCount;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();

        for (var i = 0; i < waits; i++)
        {
            tasks[i] = Command(client, ids[i]).WaitForCompletionAsync(options);
        }

        await SettleAsync(handler);
        var startCpu = process.TotalProcessorTime - cpuBefore;
        var startPolls = handler.Requests;
        var afterStart = GC.GetTotalMemory(forceFullCollection: true);

        // let every wait poll a few more times: the clock moves one second at a time
        var threadsMax = threadsBefore;
        var poolMax = poolBefore;
        var cpuPolls = process.TotalProcessorTime;
        var allocatedPolls = GC.GetTotalAllocatedBytes(precise: true);
        for (var s = 0; s < seconds; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await SettleAsync(handler);
            process.Refresh();
            threadsMax = Math.Max(threadsMax, process.Threads.Count);
            poolMax = Math.Max(poolMax, ThreadPool.ThreadCount);
        }

        var pollCpu = process.TotalProcessorTime - cpuPolls;
        var pollAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedPolls;
        var laterPolls = handler.Requests - startPolls;
        var pending = tasks.Count(t => !t.IsCompleted);
        var afterPolls = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var threadsDuring = process.Threads.Count;
        var poolDuring = ThreadPool.ThreadCount;

        // release: every command is completed at its next poll
        handler.Released = true;
        var advanced = 0;
        while (tasks.Any(t => !t.IsCompleted) && advanced < 120)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            advanced++;
            await SettleAsync(handler);
        }

        var results = await Task.WhenAll(tasks);
        var completed = results.Count(r => r.Status == ActionStatus.Completed);
        var totalPolls = results.Sum(r => r.Polls);
        var totalCpu = process.TotalProcessorTime - cpuBefore;
        wall.Stop();
        GC.KeepAlive(tasks);

        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{waits:N0} concurrent waits on one client (`DeviceCommandsClient` over `HttpClientRequestAdapter` + in-memory handler), one shared `CommandWaitOptions` (defaults, `Timeout = {(options.Timeout is { } t ? $"{t.TotalMinutes:0} min" : "null")}`), `VirtualClock` advanced 1 s at a time for {seconds} s."));
        w.WriteLine();
        w.WriteLine("| measure | value |");
        w.WriteLine("|---|---:|");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| retained after the start (first poll done), per wait | {(afterStart - before) / (double)waits:N0} B |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| retained after {seconds} s of polling ({pending:N0} waits pending), per wait | {(afterPolls - before) / (double)waits:N0} B |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| process threads: before / max during / at the end of polling | {threadsBefore} / {threadsMax} / {threadsDuring} |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| thread-pool threads: before / max during / at the end of polling | {poolBefore} / {poolMax} / {poolDuring} |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| polls: at the start / in {seconds} s / total at completion | {startPolls:N0} / {laterPolls:N0} / {totalPolls:N0} ({totalPolls / (double)waits:F2} per wait) |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| CPU per poll, starting the waits (first poll, builder, task) | {startCpu.TotalMicroseconds / Math.Max(1, startPolls):F1} µs |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| CPU per poll, later polls (timer fire + GET + read) | {pollCpu.TotalMicroseconds / Math.Max(1, laterPolls):F1} µs |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| CPU per poll, whole run (start to every wait completed) | {totalCpu.TotalMicroseconds / Math.Max(1, totalPolls):F1} µs |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| allocated per later poll | {pollAllocated / (double)Math.Max(1, laterPolls):N0} B |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| completed after release | {completed:N0} of {waits:N0} (clock advanced {advanced} s more) |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| wall time | {wall.Elapsed.TotalSeconds:F1} s |"));
        Console.WriteLine(w.ToString());
        Console.WriteLine(await BreakdownAsync(client, handler, waits));
        return completed == waits ? 0 : 1;
    }

    /// <summary>
    /// Where the retained bytes of a wait go: the same count of each piece a pending wait holds, kept alive alone and
    /// measured the same way (the rest is the wait's own state: the poller and its async state machines).
    /// </summary>
    private static async Task<string> BreakdownAsync(DeviceCommandsClient client, ReleasableHandler handler, int count)
    {
        handler.Reset();
        var ids = Ids(count, "part");
        var fake = new VirtualClock();

        var builders = new CommandItemRequestBuilder[count];
        var builderBytes = Retained(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                builders[i] = Command(client, ids[i]);
            }
        });

        var commands = new Command?[count];
        var commandBytes = await RetainedAsync(count, async () =>
        {
            for (var i = 0; i < count; i++)
            {
                commands[i] = await builders[i].GetAsync();
            }
        });

        var fakeDelays = new Task[count];
        var fakeDelayBytes = Retained(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                fakeDelays[i] = Task.Delay(TimeSpan.FromSeconds(1 + (i % 30)), fake, CancellationToken.None);
            }
        });

        using var cancel = new CancellationTokenSource();
        var systemDelays = new Task[count];
        var systemDelayBytes = Retained(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                systemDelays[i] = Task.Delay(TimeSpan.FromHours(1), TimeProvider.System, cancel.Token);
            }
        });
        await cancel.CancelAsync();
        GC.KeepAlive(builders);
        GC.KeepAlive(commands);
        GC.KeepAlive(fakeDelays);
        GC.KeepAlive(systemDelays);

        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine("Where a pending wait's bytes go (each piece alone, the same count, retained per item):");
        w.WriteLine();
        w.WriteLine("| piece | retained per item |");
        w.WriteLine("|---|---:|");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the command builder (`client.Me.Devices[id].Commands[id]`: path-parameter dictionary, request adapter reference) | {builderBytes:N0} B |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the last observed `Command` (model, its strings, additional data) | {commandBytes:N0} B |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| a pending `Task.Delay` on the `VirtualClock` (promise + virtual timer) | {fakeDelayBytes:N0} B |"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| a pending `Task.Delay` on `TimeProvider.System` with a token (promise + system timer), for comparison | {systemDelayBytes:N0} B |"));
        return w.ToString();
    }

    private static double Retained(int count, Action build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        build();
        return (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)count;
    }

    private static async Task<double> RetainedAsync(int count, Func<Task> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await build();
        return (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)count;
    }

    private static CommandItemRequestBuilder Command(DeviceCommandsClient client, string id) => client.Me.Devices[DeviceId].Commands[id];

    private static string[] Ids(int count, string prefix) =>
        [.. Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D6}"))];

    private static async Task RunBatchAsync(DeviceCommandsClient client, VirtualClock clock, ReleasableHandler handler, CommandWaitOptions options, string[] ids, int seconds)
    {
        handler.Reset();
        var tasks = ids.Select(id => Command(client, id).WaitForCompletionAsync(options)).ToArray();
        for (var s = 0; s < seconds; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await SettleAsync(handler);
        }

        handler.Released = true;
        for (var s = 0; s < 120 && tasks.Any(t => !t.IsCompleted); s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await SettleAsync(handler);
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>Waits (real time) until no poll has been answered for a short while: continuations that left the advancing thread have run.</summary>
    private static async Task SettleAsync(ReleasableHandler handler)
    {
        var last = -1;
        while (handler.Requests != last)
        {
            last = handler.Requests;
            await Task.Delay(20);
        }
    }

    /// <summary>Answers every GET with the command <c>executing</c>, or <c>completed</c> once <see cref="Released"/>.</summary>
    private sealed class ReleasableHandler : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
        private static readonly byte[] Executing = ScriptedCommandHandler.Body("executing");
        private static readonly byte[] Completed = ScriptedCommandHandler.Body("completed");
        private int _requests;
        private volatile bool _released;

        public int Requests => Volatile.Read(ref _requests);

        public bool Released
        {
            get => _released;
            set => _released = value;
        }

        public void Reset()
        {
            _released = false;
            Volatile.Write(ref _requests, 0);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var content = new ByteArrayContent(_released ? Completed : Executing);
            content.Headers.ContentType = Json;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
