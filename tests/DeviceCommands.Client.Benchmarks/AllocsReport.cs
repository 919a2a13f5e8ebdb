using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Timing;
using DeviceCommands.Testing;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// Issue 19's quick probe: the bytes one status GET allocates, stage by stage, on one thread, in a second or two.
/// Every stage runs N times against <see cref="FixedResponseHandler"/> (which completes synchronously, so the whole
/// request runs on the calling thread) and <see cref="GC.GetAllocatedBytesForCurrentThread"/> is read around the loop;
/// the figures are deterministic and do not depend on CPU load, unlike BenchmarkDotNet's times on a busy machine.
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project tests/DeviceCommands.Client.Benchmarks -- allocs [--n 2000]</c>.</remarks>
public static class AllocsReport
{
    private const string DeviceId = "6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c";
    private const string CommandId = "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266";
    private static readonly Uri BaseUrl = new("https://graph.microsoft.com/beta");

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var n = args is ["--n", var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 2000;
        if (args.Contains("--types"))
        {
            return await TypesAsync(n);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Bytes allocated per operation on the calling thread (mean of {n:N0}, after a warm-up of {n:N0}):"));
        Console.WriteLine();
        Console.WriteLine("| stage | " + string.Join(" | ", Body.Commands) + " |");
        Console.WriteLine("|---|" + string.Concat(Body.Commands.Select(_ => "---:|")));

        var rows = new List<(string Stage, List<double> Bytes)>();
        foreach (var body in Body.Commands)
        {
            using var handler = new FixedResponseHandler(body.Utf8);
            var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, BaseUrl = BaseUrl });
            using var raw = new HttpClient(handler, disposeHandler: false);
            var url = $"{BaseUrl.AbsoluteUri.TrimEnd('/')}/me/devices/{DeviceId}/commands/{CommandId}";
            var clock = new VirtualClock();
            var budgets = new BudgetSources(TimeProvider.System);
            var adapter = client.Me.Devices[DeviceId].Commands.Adapter;
            using var stockAdapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(handler, disposeHandler: false)) { BaseUrl = BaseUrl.AbsoluteUri.TrimEnd('/') };
            var overStock = new DeviceCommandsClient(stockAdapter);
            var waitOptions = new CommandWaitOptions { TimeProvider = clock, Timeout = null };
            var checkpoint = CommandWaitCheckpoint.Start(DeviceId, CommandId, waitOptions, clock);
            var stages = new (string, Func<ValueTask>)[]
            {
                ("builder chain `Me.Devices[id].Commands[id]`", () => { GC.KeepAlive(client.Me.Devices[DeviceId].Commands[CommandId]); return default; }),
                ("`ToGetRequestInformation()` (chain included)", () => { GC.KeepAlive(client.Me.Devices[DeviceId].Commands[CommandId].ToGetRequestInformation()); return default; }),
                ("the wait's own request (`CommandItemRequestBuilder.GetRequest`)", () => { GC.KeepAlive(Me.Devices.Item.Commands.Item.CommandItemRequestBuilder.GetRequest(adapter, null, DeviceId, CommandId)); return default; }),
                ("parse the body into `Command` (`JsonBody`)", () => { Parse(body.Utf8); return default; }),
                ("attempt budget (`TimeBudget.For` 30 s from a client's `BudgetSources`, system clock, disposed)", () => { using var b = TimeBudget.For(TimeSpan.FromSeconds(30), budgets, CancellationToken.None); return default; }),
                ("raw `HttpClient.SendAsync` over the same handler (no read)", async () => { using var r = await raw.SendAsync(new HttpRequestMessage(HttpMethod.Get, url)); }),
                ("raw `HttpClient` + STJ source-gen (the floor)", async () => GC.KeepAlive(await raw.GetFromJsonAsync(url, FloorJsonContext.Default.FloorCommand))),
                ("a wait's poll (`PollOnceAsync` from a checkpoint, `Timeout = null`), over `Create`'s client", async () => GC.KeepAlive(await client.PollOnceAsync(checkpoint, waitOptions))),
                ("a wait's poll, over a stock `HttpClientRequestAdapter` (as in `-- manywaits`)", async () => GC.KeepAlive(await overStock.PollOnceAsync(checkpoint, waitOptions))),
                ("**ours, `Create`: one status GET end to end**", async () => GC.KeepAlive(await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync())),
            };

            foreach (var (name, run) in stages)
            {
                var row = rows.Find(r => r.Stage == name);
                if (row.Stage is null)
                {
                    row = (name, []);
                    rows.Add(row);
                }

                row.Bytes.Add(await MeasureAsync(n, run));
            }
        }

        foreach (var (stage, bytes) in rows)
        {
            Console.WriteLine($"| {stage} | " + string.Join(" | ", bytes.Select(b => b.ToString("N0", CultureInfo.InvariantCulture) + " B")) + " |");
        }

        return 0;
    }

    /// <summary>
    /// What one status GET allocates, by type: the runtime's allocation samples (one per ~100 KB allocated, with the
    /// type of the object that crossed the mark) over many GETs, heaviest first. Sampled, so approximate: use many GETs.
    /// </summary>
    private static async Task<int> TypesAsync(int n)
    {
        using var handler = new FixedResponseHandler(Body.NullStrings.Utf8);
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, BaseUrl = BaseUrl });
        for (var i = 0; i < 1000; i++)
        {
            GC.KeepAlive(await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync());
        }

        using var listener = new AllocationSampler();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            GC.KeepAlive(await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync());
        }

        var total = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n:N0} status GETs (null-strings), {total / (double)n:N0} B each; sampled bytes per GET by type (samples):"));
        Console.WriteLine();
        Console.WriteLine("| type | B per GET | samples |");
        Console.WriteLine("|---|---:|---:|");
        var sampled = listener.Samples.Values.Sum(v => v.Bytes);
        foreach (var (type, (bytes, samples)) in listener.Samples.OrderByDescending(p => p.Value.Bytes).Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{type}` | {bytes / (double)sampled * total / n:N0} | {samples} |"));
        }

        return 0;
    }

    private static void Parse(byte[] utf8)
    {
        using var document = JsonBody.Parse(utf8, out var careful);
        GC.KeepAlive(JsonBody.Root(document.RootElement, careful).GetObjectValue(Models.Command.CreateFromDiscriminatorValue));
    }

    /// <summary>The mean bytes allocated on this thread by one run; a run that leaves the thread is reported as such.</summary>
    private static async Task<double> MeasureAsync(int n, Func<ValueTask> run)
    {
        for (var i = 0; i < n; i++)
        {
            await run();
        }

        var thread = Environment.CurrentManagedThreadId;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            var pending = run();
            if (!pending.IsCompleted)
            {
                throw new InvalidOperationException("A stage did not complete synchronously; its bytes would be counted on another thread.");
            }

            await pending;
        }

        var after = GC.GetAllocatedBytesForCurrentThread();
        return thread == Environment.CurrentManagedThreadId ? (after - before) / (double)n : double.NaN;
    }
}

/// <summary>Listens to the runtime's <c>GCAllocationTick</c> events in process, summing the sampled bytes by type.</summary>
internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    private readonly object _gate = new();

    public Dictionary<string, (long Bytes, int Samples)> Samples { get; } = [];

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = eventData.Payload![names.IndexOf("TypeName")] as string ?? "?";
        var bytes = Convert.ToInt64(eventData.Payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        lock (_gate)
        {
            Samples[type] = Samples.TryGetValue(type, out var s) ? (s.Bytes + bytes, s.Samples + 1) : (bytes, 1);
        }
    }
}
