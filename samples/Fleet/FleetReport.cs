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

    /// <summary>
    /// The silos to kill without warning, the first once half the waits have been started, the next ones
    /// <see cref="KillSpacing"/> apart (before the cluster has declared the first dead). At most <see cref="Silos"/> - 1. Default 0.
    /// </summary>
    public int KillSilos { get; init; }

    /// <summary>Whether to kill one silo halfway: <see cref="KillSilos"/> 1.</summary>
    public bool KillSilo { get => KillSilos > 0; init => KillSilos = value ? Math.Max(1, KillSilos) : 0; }

    /// <summary>The time between two kills. Default 4 s (a death is declared after 3 missed probes of 2 s).</summary>
    public TimeSpan KillSpacing { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The emulator's share of command POSTs whose answer is lost (the command is created). Default 0.</summary>
    public double LostAnswerRate { get; init; }

    /// <summary>The status a lost answer gets instead of the 201; null cuts the connection. Default null.</summary>
    public int? LostAnswerStatus { get; init; }

    /// <summary>
    /// Whether the waits send a postBackUri that the silos serve (<see cref="CallbackEndpoint"/>), and poll at once on a
    /// postback; false polls alone (<c>--no-callbacks</c>). Default true.
    /// </summary>
    public bool Callbacks { get; init; } = true;

    /// <summary>The emulator's share of postbacks never sent, 0 to 1 (<c>--post-back-drop-rate</c>). Default 0.</summary>
    public double PostBackDropRate { get; init; }

    /// <summary>Whether the silos' <c>fleet-logs-*</c> folder stays after the run (<c>--keep-logs</c>). Default false: deleted.</summary>
    public bool KeepLogs { get; init; }

    /// <summary>A pause of the store (a local redis-server, stopped and continued) during the starts or the outcomes; null for none.</summary>
    public StorePause? PauseStore { get; init; }

    /// <summary>How long the driver keeps asking a wait to start: the wait's own deadline. Default 10 min (the silos' wait timeout).</summary>
    public TimeSpan StartDeadline { get; init; } = new FleetSiloSettings().WaitTimeout;

    /// <summary>
    /// How long the driver's Orleans client waits for a grain's answer. A start call in flight to a silo that dies fails
    /// only then, and is asked again (safe: the grain never sends twice). Default 20 s.
    /// </summary>
    public TimeSpan ClientResponseTimeout { get; init; } = FleetCluster.DefaultClientResponseTimeout;

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
/// <param name="StartCalls">The calls it took (more than one when the silo holding it died); 0 when no start call landed before the wait's deadline.</param>
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

    /// <summary>The silos killed, with when, in order.</summary>
    public IReadOnlyList<(string Silo, DateTimeOffset At)> Killed { get; init; } = [];

    /// <summary>The first silo killed, if one was.</summary>
    public string? KilledSilo => Killed.Count == 0 ? null : Killed[0].Silo;

    /// <summary>When the first was killed.</summary>
    public DateTimeOffset? KilledAt => Killed.Count == 0 ? null : Killed[0].At;

    /// <summary>The store's pause, as it happened: when, for how long; null when there was none.</summary>
    public (DateTimeOffset At, TimeSpan For)? StorePaused { get; init; }

    /// <summary>When the first wait was started.</summary>
    public DateTimeOffset FirstStartAt { get; init; }

    /// <summary>The POSTs the emulator received.</summary>
    public int Posts { get; init; }

    /// <summary>The POSTs whose <c>client-request-id</c> the emulator had seen before.</summary>
    public int RepeatedRequestIds { get; init; }

    /// <summary>
    /// Every command beyond the first for one wait (from the emulator's record: each wait's URI is its own), plus the
    /// POSTs whose <c>client-request-id</c> was repeated: what was sent more than once.
    /// </summary>
    public int DuplicatePosts => CommandsByWait.Values.Sum(c => Math.Max(0, c.Count - 1)) + RepeatedRequestIds;

    /// <summary>The waits whose start never landed before its deadline (the driver kept asking until then).</summary>
    public int StartsNeverLanded => Records.Count(r => r.StartCalls == 0);

    /// <summary>The postbacks the emulator sent, answered or not (the dropped ones are not sent).</summary>
    public int PostBacks { get; init; }

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

    /// <summary>Where the silos' logs were (deleted at the end unless <see cref="FleetOptions.KeepLogs"/>).</summary>
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
    public IReadOnlyDictionary<string, IReadOnlyList<EmulatedCommand>> CommandsByWait => _byWait ??=
        Records.ToDictionary(r => r.Key, r => (IReadOnlyList<EmulatedCommand>)[.. Commands.Where(c => c.RequestBody.Contains(r.Uri, StringComparison.Ordinal))]);

    /// <summary>The waits with more than one command.</summary>
    public int WaitsWithTwoCommands => CommandsByWait.Values.Count(c => c.Count > 1);

    /// <summary>
    /// The one line a run ends with: <c>N waits: C completed, F failed, U unknown (not sent again), L lost, D duplicate
    /// POSTs, R requests per wait, last outcome after S s</c>, and the starts that never landed, when there are any.
    /// </summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Records.Count} waits: {Completed} completed, {Failed} failed, {Unknown} unknown (not sent again), {Lost} lost, {DuplicatePosts} duplicate POSTs, {(double)Requests / Math.Max(1, Records.Count):0.00} requests per wait, last outcome after {LastOutcomeAfter.TotalSeconds:0.0} s")
        + (StartsNeverLanded > 0 ? string.Create(CultureInfo.InvariantCulture, $", {StartsNeverLanded} starts never landed") : string.Empty);

    private IReadOnlyDictionary<string, IReadOnlyList<EmulatedCommand>>? _byWait;

    private int Count(WaitOutcomeKind kind) => Records.Count(r => r.Outcome?.Kind == kind);
}
