using System.Diagnostics;
using System.Globalization;
using DeviceCommands.Emulator;

namespace DeviceCommands.Samples.Fleet;

/// <summary>What a run does: how many waits, over how many silos, against what.</summary>
public sealed class FleetOptions
{
    /// <summary>The waits (one command each). Default 1,000.</summary>
    public int Waits { get; init; } = 1000;

    /// <summary>The silos, each its own process. Default 3.</summary>
    public int Silos { get; init; } = 3;

    /// <summary>Whether to kill one silo without warning once half the waits have been started.</summary>
    public bool KillSilo { get; init; }

    /// <summary>A Redis at <c>host:port</c>; null embeds Garnet on a free loopback port.</summary>
    public string? Redis { get; init; }

    /// <summary>The emulator's time per status. Default 2 s.</summary>
    public TimeSpan StepDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The share of the emulator's answers that are 429. Default 0.1.</summary>
    public double ThrottleRate { get; init; } = 0.1;

    /// <summary>The emulator's fault seed. Default 7.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>The users the waits belong to (each wait's key starts with its user). Default 20.</summary>
    public int Users { get; init; } = 20;

    /// <summary>The waits started per second. Default 100.</summary>
    public int StartsPerSecond { get; init; } = 100;

    /// <summary>The starts in flight at most (each is a grain call that sends one POST). Default 32.</summary>
    public int MaxStartsInFlight { get; init; } = 32;

    /// <summary>How long after the last start the driver waits for the outcomes. Default 150 s.</summary>
    public TimeSpan OutcomeTimeout { get; init; } = TimeSpan.FromSeconds(150);
}

/// <summary>One wait of a run, as the driver saw it.</summary>
/// <param name="Index">Its number.</param>
/// <param name="Key">Its grain key.</param>
/// <param name="DeviceId">The device its command went to.</param>
/// <param name="Uri">The URI its command opens (unique to the wait, so the emulator's commands can be traced back to it).</param>
/// <param name="StartedAt">When the driver first asked the grain to start it.</param>
/// <param name="StartCalls">The calls it took (more than one when the silo holding it died).</param>
/// <param name="Outcome">How it ended; null if no outcome was recorded in time (lost).</param>
public sealed record WaitRecord(int Index, string Key, string DeviceId, string Uri, DateTimeOffset StartedAt, int StartCalls, WaitOutcome? Outcome);

/// <summary>A silo's managed heap (after a full collection) as its waits ramped up.</summary>
/// <param name="Silo">The silo's name.</param>
/// <param name="IdleHeapBytes">Its heap just before its first wait.</param>
/// <param name="PeakWaits">The most waits it held at once.</param>
/// <param name="PeakHeapBytes">Its heap then.</param>
/// <param name="BytesPerWait">The least-squares slope of heap against waits on the ramp; null without enough samples.</param>
public sealed record SiloMemory(string Silo, long IdleHeapBytes, int PeakWaits, long PeakHeapBytes, double? BytesPerWait);

/// <summary>What a run measured.</summary>
public sealed class FleetReport
{
    /// <summary>The store: embedded Garnet or the Redis given.</summary>
    public required string Store { get; init; }

    /// <summary>Every wait.</summary>
    public required IReadOnlyList<WaitRecord> Records { get; init; }

    /// <summary>The commands the emulator created, with their status at the end.</summary>
    public required IReadOnlyList<EmulatedCommand> Commands { get; init; }

    /// <summary>The silo killed, if one was.</summary>
    public string? KilledSilo { get; init; }

    /// <summary>When it was killed.</summary>
    public DateTimeOffset? KilledAt { get; init; }

    /// <summary>When the first wait was started.</summary>
    public DateTimeOffset FirstStartAt { get; init; }

    /// <summary>The POSTs the emulator received.</summary>
    public int Posts { get; init; }

    /// <summary>The POSTs whose <c>client-request-id</c> the emulator had seen before.</summary>
    public int DuplicatePosts { get; init; }

    /// <summary>Every request the emulator received.</summary>
    public int Requests { get; init; }

    /// <summary>The requests it answered 429.</summary>
    public int Throttled { get; init; }

    /// <summary>The managed heap per waiting grain, fitted on each silo's samples while waits ramped up (median over silos); null without enough samples.</summary>
    public double? BytesPerWaitingGrain { get; init; }

    /// <summary>The most waits one silo held at once.</summary>
    public int PeakWaitsPerSilo => MemoryBySilo.Select(m => m.PeakWaits).DefaultIfEmpty().Max();

    /// <summary>Each silo's memory: its heap before the first wait, at its most waits, and the fitted bytes per wait.</summary>
    public IReadOnlyList<SiloMemory> MemoryBySilo { get; init; } = [];

    /// <summary>From the start of the first silo to the whole cluster ready.</summary>
    public TimeSpan ClusterStartup { get; init; }

    /// <summary>The whole run, the cluster's start and stop included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Where the silos' logs are.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>The waits that ended as completed.</summary>
    public int Completed => Count(WaitOutcomeKind.Completed);

    /// <summary>The waits that ended unknown (not sent again).</summary>
    public int Unknown => Count(WaitOutcomeKind.Unknown);

    /// <summary>The waits that ended otherwise: a failure status, rejected, timed out or an error.</summary>
    public int Failed => Records.Count(r => r.Outcome is { Kind: not (WaitOutcomeKind.Completed or WaitOutcomeKind.Unknown) });

    /// <summary>The waits with no outcome.</summary>
    public int Lost => Records.Count(r => r.Outcome is null);

    /// <summary>From the first start to the last outcome.</summary>
    public TimeSpan LastOutcomeAfter => Records.Where(r => r.Outcome is not null).Select(r => DateTimeOffset.FromUnixTimeMilliseconds(r.Outcome!.EndedAtMs) - FirstStartAt).DefaultIfEmpty().Max();

    /// <summary>The longest time from a wait's start to its outcome.</summary>
    public TimeSpan LongestWait => Records.Where(r => r.Outcome is not null).Select(r => DateTimeOffset.FromUnixTimeMilliseconds(r.Outcome!.EndedAtMs) - r.StartedAt).DefaultIfEmpty().Max();

    /// <summary>The commands the emulator created for each wait (by the URI only that wait sends).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EmulatedCommand>> CommandsByWait =>
        Records.ToDictionary(r => r.Key, r => (IReadOnlyList<EmulatedCommand>)[.. Commands.Where(c => c.RequestBody.Contains(r.Uri, StringComparison.Ordinal))]);

    /// <summary>The one line a run ends with.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Records.Count} waits: {Completed} completed, {Failed} failed, {Unknown} unknown (not sent again), {Lost} lost, {DuplicatePosts} duplicate POSTs, last outcome after {LastOutcomeAfter.TotalSeconds:0.0} s");

    private int Count(WaitOutcomeKind kind) => Records.Count(r => r.Outcome?.Kind == kind);
}

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
        }, cancellationToken);
        await log.WriteLineAsync($"emulator: {emulator.BaseUrl} ({options.StepDelay.TotalSeconds:0.#} s steps, {options.ThrottleRate:P0} of answers 429)");

        await using var cluster = await FleetCluster.StartAsync(options.Redis, emulator.BaseUrl, options.Silos, cancellationToken);
        await log.WriteLineAsync($"store: {cluster.Store}; {cluster.Silos.Count} silos ready after {cluster.Startup.TotalSeconds:0.0} s (processes {string.Join(", ", cluster.Silos.Select(s => s.ProcessId))}; logs in {cluster.LogDirectory})");

        var (records, firstStart, killed, killedAt) = await StartWaitsAsync(cluster, options, log, cancellationToken);
        await log.WriteLineAsync($"all {options.Waits} waits started after {(DateTimeOffset.UtcNow - firstStart).TotalSeconds:0.0} s; waiting for their outcomes");

        await cluster.Board.WaitForAsync(options.Waits, DateTimeOffset.UtcNow + options.OutcomeTimeout, cancellationToken);
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
            KilledSilo = killed?.Name,
            KilledAt = killedAt,
            FirstStartAt = firstStart,
            Posts = emulator.PostCount,
            DuplicatePosts = emulator.DuplicatePostCount,
            Requests = emulator.RequestCount,
            Throttled = emulator.GetRequests().Count(r => r.StatusCode == 429),
            BytesPerWaitingGrain = slopes.Count == 0 ? null : slopes[slopes.Count / 2],
            MemoryBySilo = memory,
            ClusterStartup = cluster.Startup,
            Duration = clock.Elapsed,
            LogDirectory = cluster.LogDirectory,
        };
    }

    /// <summary>
    /// Asks a wait's grain to start until it accepts: a call fails when the silo that held the grain died, or while the
    /// cluster has not yet noticed. Asking again is safe: the grain is keyed by the wait, and never sends twice.
    /// </summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="key">The wait's key.</param>
    /// <param name="request">What it sends.</param>
    /// <param name="cancellationToken">Stops asking.</param>
    /// <returns>The calls it took.</returns>
    public static async Task<int> StartWaitAsync(FleetCluster cluster, string key, WaitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var grain = cluster.Client.GetGrain<IWaitGrain>(key);
        for (var call = 1; ; call++)
        {
            try
            {
                await grain.StartAsync(request).WaitAsync(cancellationToken);
                return call;
            }
            catch (Exception) when (call < 90 && !cancellationToken.IsCancellationRequested)
            {
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
        if (report.KilledSilo is not null)
        {
            var resumed = report.Records.Count(r => r.Outcome is { ResumedByReminder: true });
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.KilledSilo} killed {(report.KilledAt!.Value - report.FirstStartAt).TotalSeconds:0.0} s after the first start; {resumed} waits resumed by their reminder on another silo; {unknown.Count} unknown, of which the service had created {unknown.Count(u => byWait[u.Key].Count > 0)}"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"longest wait {report.LongestWait.TotalSeconds:0.0} s; cluster ready in {report.ClusterStartup.TotalSeconds:0.0} s; run {report.Duration.TotalSeconds:0.0} s; store: {report.Store}"));
        await output.WriteLineAsync(report.Summary);
    }

    /// <summary>
    /// Starts the waits at a steady pace, at most <see cref="FleetOptions.MaxStartsInFlight"/> at a time; kills the last
    /// silo when half have been started. A start whose call fails (its silo died) is asked again: the grain makes that safe.
    /// </summary>
    private static async Task<(WaitRecord[] Records, DateTimeOffset FirstStart, SiloProcess? Killed, DateTimeOffset? KilledAt)> StartWaitsAsync(
        FleetCluster cluster, FleetOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var records = new WaitRecord[options.Waits];
        var calls = new Task[options.Waits];
        using var inFlight = new SemaphoreSlim(options.MaxStartsInFlight);
        var firstStart = DateTimeOffset.UtcNow;
        SiloProcess? killed = null;
        DateTimeOffset? killedAt = null;
        for (var i = 0; i < options.Waits; i++)
        {
            var due = firstStart + TimeSpan.FromSeconds((double)i / options.StartsPerSecond) - DateTimeOffset.UtcNow;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            if (options.KillSilo && i == options.Waits / 2)
            {
                killed = cluster.Silos[^1];
                killed.Kill();
                killedAt = DateTimeOffset.UtcNow;
                await log.WriteLineAsync($"killed {killed.Name} (process {killed.ProcessId}) after {i} starts, {(killedAt.Value - firstStart).TotalSeconds:0.0} s in");
            }

            var index = i;
            var device = DeviceFor(index);
            records[index] = new WaitRecord(index, string.Create(CultureInfo.InvariantCulture, $"user-{index % options.Users:00}/wait-{index:0000}"),
                device, string.Create(CultureInfo.InvariantCulture, $"https://example.com/fleet/{index:0000}"), DateTimeOffset.UtcNow, 0, null);
            calls[index] = StartOneAsync(cluster, records, index, inFlight, cancellationToken);
        }

        await Task.WhenAll(calls);
        return (records, firstStart, killed, killedAt);
    }

    private static async Task StartOneAsync(FleetCluster cluster, WaitRecord[] records, int index, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        var record = records[index];
        try
        {
            var calls = await StartWaitAsync(cluster, record.Key, new WaitRequest(record.DeviceId, record.Uri), cancellationToken);
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
