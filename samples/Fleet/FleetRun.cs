using System.Diagnostics;
using System.Globalization;
using DeviceCommands.Emulator;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// The driver: a store (embedded Garnet, or the Redis given), the emulator on loopback, N silo processes, and an
/// Orleans client that starts the waits at a steady pace, kills a silo halfway if asked, and waits for every outcome.
/// </summary>
public static class FleetRun
{
    /// <summary>The device of wait <paramref name="index"/>: one in ten to the offline phone, one in ten to the broken hub, the rest to the laptop.</summary>
    /// <param name="index">The wait's number.</param>
    /// <returns>The device's id.</returns>
    public static string DeviceFor(int index) => (index % 10) switch
    {
        3 => "emu-offline-phone",
        7 => "emu-broken-hub",
        _ => "emu-laptop",
    };

    /// <summary>The status a command to the device really ends with.</summary>
    /// <param name="deviceId">The device's id.</param>
    /// <returns>The status, as the service sends it.</returns>
    public static string TrueStatusOf(string deviceId) => deviceId switch
    {
        "emu-offline-phone" => "failedToSend",
        "emu-broken-hub" => "executionFailed",
        _ => "completed",
    };

    /// <summary>Runs the fleet once.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="log">Where progress goes.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>What was measured.</returns>
    public static async Task<FleetReport> RunAsync(FleetOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions
        {
            StepDelay = options.StepDelay,
            ThrottleRate = options.ThrottleRate,
            Seed = options.Seed,
            MaxCommands = Math.Max(10_000, options.Waits * 2),
            MaxRecordedRequests = options.Waits * 20,
            LostAnswerRate = options.LostAnswerRate,
            LostAnswerStatus = options.LostAnswerStatus,
            PostBackDropRate = options.PostBackDropRate,
        }, cancellationToken);
        await log.WriteLineAsync($"emulator: {emulator.BaseUrl} ({options.StepDelay.TotalSeconds:0.#} s steps, {options.ThrottleRate:P0} of answers 429"
            + (options.LostAnswerRate > 0 ? $", {options.LostAnswerRate:P0} of command POSTs lose their answer ({(options.LostAnswerStatus is { } s ? $"{s} instead" : "connection cut")})" : string.Empty)
            + (options.Callbacks ? $", {options.PostBackDropRate:P0} of postbacks dropped)" : "; no callbacks: polling alone)"));

        await using var cluster = await FleetCluster.StartAsync(options.Redis, emulator.BaseUrl, options.Silos, options.Callbacks, options.ClientResponseTimeout, cancellationToken);
        cluster.KeepLogs = options.KeepLogs;
        await log.WriteLineAsync($"store: {cluster.Store}; {cluster.Silos.Count} silos ready after {cluster.Startup.TotalSeconds:0.0} s (processes {string.Join(", ", cluster.Silos.Select(s => s.ProcessId))}"
            + (cluster.CallbackPort is { } port ? $"; postbacks to 127.0.0.1:{port}, served by every silo" : string.Empty)
            + $"; logs in {cluster.LogDirectory}, {(options.KeepLogs ? "kept" : "deleted at the end (--keep-logs keeps them)")})");

        var faults = new RunFaults(cluster, options, log);
        await faults.PrepareAsync();
        var (records, firstStart) = await StartWaitsAsync(cluster, options, faults, cancellationToken);
        await log.WriteLineAsync($"all {options.Waits} waits started after {(DateTimeOffset.UtcNow - firstStart).TotalSeconds:0.0} s; waiting for their outcomes");
        faults.At(FleetPhase.Outcomes, cancellationToken);

        await cluster.Board.WaitForAsync(options.Waits, DateTimeOffset.UtcNow + options.OutcomeTimeout, cancellationToken);
        await faults.EndAsync();
        var outcomes = (await cluster.Board.ReadAllAsync()).ToDictionary(o => o.Key, StringComparer.Ordinal);
        var memory = new List<SiloMemory>();
        foreach (var silo in cluster.Silos)
        {
            memory.Add(Fit(silo.Name, await cluster.Board.ReadMemorySamplesAsync(silo.Name)));
        }

        var slopes = memory.Where(m => m.BytesPerWait is not null).Select(m => m.BytesPerWait!.Value).Order().ToList();
        await cluster.StopSilosAsync();
        return new FleetReport
        {
            Store = cluster.Store,
            Records = [.. records.Select(r => r with { Outcome = outcomes.GetValueOrDefault(r.Key) })],
            Commands = emulator.GetCommands(),
            Killed = faults.Killed,
            StorePaused = faults.Paused,
            FirstStartAt = firstStart,
            Posts = emulator.PostCount,
            RepeatedRequestIds = emulator.DuplicatePostCount,
            Requests = emulator.RequestCount,
            PostBacks = emulator.PostBackCount,
            Throttled = emulator.GetRequests().Count(r => r.StatusCode == 429),
            BytesPerWaitingGrain = slopes.Count == 0 ? null : slopes[slopes.Count / 2],
            MemoryBySilo = memory,
            ClusterStartup = cluster.Startup,
            Duration = clock.Elapsed,
            LogDirectory = cluster.LogDirectory,
        };
    }

    /// <summary>
    /// Asks a wait's grain to start until it accepts or the wait's deadline passes: a call fails when the silo that held
    /// the grain died, while the cluster has not yet noticed, or times out while the store stalls. Asking again is safe:
    /// the grain is keyed by the wait, and never sends twice.
    /// </summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="key">The wait's key.</param>
    /// <param name="request">What it sends.</param>
    /// <param name="deadline">When to stop asking (the wait's own deadline). Default: 10 min from now.</param>
    /// <param name="cancellationToken">Stops asking.</param>
    /// <returns>The calls it took; 0 when none landed before the deadline.</returns>
    public static async Task<int> StartWaitAsync(FleetCluster cluster, string key, WaitRequest request, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var until = deadline ?? DateTimeOffset.UtcNow + new FleetSiloSettings().WaitTimeout;
        var grain = cluster.Client.GetGrain<IWaitGrain>(key);
        for (var call = 1; ; call++)
        {
            try
            {
                await grain.StartAsync(request).WaitAsync(cancellationToken);
                return call;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1) >= until)
                {
                    return 0;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>Prints what a run measured, ending with its one-line summary.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="output">Where to print.</param>
    /// <returns>A task that completes once printed.</returns>
    public static async Task PrintAsync(FleetReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var waits = Math.Max(1, report.Records.Count);
        var unknown = report.Records.Where(r => r.Outcome?.Kind == WaitOutcomeKind.Unknown).ToList();
        var byWait = report.CommandsByWait;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"requests per wait: {(double)report.Requests / waits:0.00} ({(double)report.Posts / waits:0.00} POST, {report.Throttled} answers 429 in all); state writes per wait: {report.Records.Where(r => r.Outcome is not null).Select(r => r.Outcome!.Writes).DefaultIfEmpty().Average():0.00}; commands created: {report.Commands.Count}, most for one wait: {byWait.Values.Select(c => c.Count).DefaultIfEmpty().Max()}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"memory per waiting grain: {(report.BytesPerWaitingGrain is { } b ? $"{b / 1024:0.0} KB" : "not measured")} of managed heap ({string.Join("; ", report.MemoryBySilo.Select(m => $"{m.Silo} {m.IdleHeapBytes / 1048576.0:0.0} MB idle, {m.PeakHeapBytes / 1048576.0:0.0} MB with {m.PeakWaits} waits"))})"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"postbacks sent: {report.PostBacks}; polls a postback asked for: {report.Records.Sum(r => r.Outcome?.CallbackPolls ?? 0)}; outcomes after a fallback poll or none: {report.Records.Count(r => r.Outcome is { CallbackPolls: 0 })}"));
        if (report.Killed.Count > 0)
        {
            var byReminder = report.Records.Count(r => r.Outcome is { ResumedByReminder: true });
            var byCallback = report.Records.Count(r => r.Outcome is { ResumedByCallback: true });
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(", ", report.Killed.Select(k => $"{k.Silo} killed {(k.At - report.FirstStartAt).TotalSeconds:0.0} s"))} after the first start; waits resumed on another silo: {byReminder} by their reminder, {byCallback} by a postback"));
        }

        if (report.StorePaused is { } paused)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"the store was paused {(paused.At - report.FirstStartAt).TotalSeconds:0.0} s after the first start, for {paused.For.TotalSeconds:0.0} s"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{unknown.Count} unknown, of which the service had created {unknown.Count(u => byWait[u.Key].Count > 0)}; {report.WaitsWithTwoCommands} waits with two commands or more, {report.RepeatedRequestIds} repeated client-request-ids"));

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"longest wait {report.LongestWait.TotalSeconds:0.0} s; cluster ready in {report.ClusterStartup.TotalSeconds:0.0} s; run {report.Duration.TotalSeconds:0.0} s; store: {report.Store}"));
        await output.WriteLineAsync(report.Summary);
    }

    /// <summary>
    /// Starts the waits at a steady pace, at most <see cref="FleetOptions.MaxStartsInFlight"/> at a time; the faults
    /// (kills, a store pause) go off as planned. A start whose call fails (its silo died, the store stalls) is asked
    /// again until the wait's deadline: the grain makes that safe.
    /// </summary>
    private static async Task<(WaitRecord[] Records, DateTimeOffset FirstStart)> StartWaitsAsync(
        FleetCluster cluster, FleetOptions options, RunFaults faults, CancellationToken cancellationToken)
    {
        var records = new WaitRecord[options.Waits];
        var calls = new Task[options.Waits];
        using var inFlight = new SemaphoreSlim(options.MaxStartsInFlight);
        var firstStart = DateTimeOffset.UtcNow;
        for (var i = 0; i < options.Waits; i++)
        {
            var due = firstStart + TimeSpan.FromSeconds((double)i / options.StartsPerSecond) - DateTimeOffset.UtcNow;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            if (i == options.Waits / 2)
            {
                faults.KillHalfway(i, firstStart, cancellationToken);
            }

            var index = i;
            var device = DeviceFor(index);
            records[index] = new WaitRecord(index, string.Create(CultureInfo.InvariantCulture, $"user-{index % options.Users:00}/wait-{index:0000}"),
                device, string.Create(CultureInfo.InvariantCulture, $"https://example.com/fleet/{index:0000}"), DateTimeOffset.UtcNow, 0, null);
            calls[index] = StartOneAsync(cluster, records, index, inFlight, records[index].StartedAt + options.StartDeadline, cancellationToken);
            if (i == 0)
            {
                faults.At(FleetPhase.Starts, cancellationToken);
            }
        }

        await Task.WhenAll(calls);
        return (records, firstStart);
    }

    private static async Task StartOneAsync(FleetCluster cluster, WaitRecord[] records, int index, SemaphoreSlim inFlight, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var record = records[index];
        try
        {
            var calls = await StartWaitAsync(cluster, record.Key, new WaitRequest(record.DeviceId, record.Uri), deadline, cancellationToken);
            records[index] = record with { StartCalls = calls };
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>
    /// One silo's memory: bytes per wait as the least-squares slope of heap against waits while they ramped up (from
    /// just before its first wait to its peak), so what a silo holds anyway (its code, caches, connections) stays out.
    /// </summary>
    private static SiloMemory Fit(string silo, IReadOnlyList<(int Waits, long HeapBytes)> samples)
    {
        if (samples.Count == 0)
        {
            return new SiloMemory(silo, 0, 0, 0, null);
        }

        var peak = samples.Max(s => s.Waits);
        var first = samples.ToList().FindIndex(s => s.Waits > 0);
        var top = samples.ToList().FindIndex(s => s.Waits == peak);
        var from = Math.Max(0, first - 2);
        var idle = first > 0 ? samples[first - 1].HeapBytes : samples[0].HeapBytes;
        if (first < 0 || top - from < 3)
        {
            return new SiloMemory(silo, idle, peak, samples[Math.Max(0, top)].HeapBytes, null);
        }

        var ramp = samples.Skip(from).Take(top - from + 1).ToList();
        double meanX = ramp.Average(s => s.Waits), meanY = ramp.Average(s => (double)s.HeapBytes);
        double cov = ramp.Sum(s => (s.Waits - meanX) * (s.HeapBytes - meanY)), variance = ramp.Sum(s => (s.Waits - meanX) * (s.Waits - meanX));
        return new SiloMemory(silo, idle, peak, samples[top].HeapBytes, variance == 0 ? null : cov / variance);
    }
}
