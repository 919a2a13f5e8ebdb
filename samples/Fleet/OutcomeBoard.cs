using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// Where waits record how they ended, in the same Redis as the grains' state: a hash (wait key → outcome as JSON,
/// first write wins, so a wait that reports again after a crash changes nothing) and a channel that tells the driver
/// a new outcome is there. Also the silos' memory samples, one list per silo.
/// </summary>
public sealed class OutcomeBoard
{
    private readonly IDatabase _db;
    private readonly ISubscriber _subscriber;
    private readonly RedisKey _outcomes;
    private readonly RedisChannel _channel;
    private readonly string _run;

    /// <summary>Creates the board of one run.</summary>
    /// <param name="redis">The connection to the store.</param>
    /// <param name="run">The run's id (the Orleans service id): every key of the run starts with it.</param>
    public OutcomeBoard(IConnectionMultiplexer redis, string run)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _db = redis.GetDatabase();
        _subscriber = redis.GetSubscriber();
        _run = run;
        _outcomes = $"{run}/outcomes";
        _channel = RedisChannel.Literal($"{run}/outcomes");
    }

    /// <summary>Records an outcome, unless one is already recorded for the wait, and tells the driver.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>A task that completes once it is stored.</returns>
    public async Task RecordAsync(WaitOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await _db.HashSetAsync(_outcomes, outcome.Key, JsonSerializer.Serialize(outcome), When.NotExists);
        await _subscriber.PublishAsync(_channel, outcome.Key);
    }

    /// <summary>Every outcome recorded so far.</summary>
    /// <returns>The outcomes, in no order.</returns>
    public async Task<IReadOnlyList<WaitOutcome>> ReadAllAsync()
    {
        var entries = await _db.HashGetAllAsync(_outcomes);
        return [.. entries.Select(e => JsonSerializer.Deserialize<WaitOutcome>(e.Value.ToString())!)];
    }

    /// <summary>
    /// Waits until <paramref name="count"/> outcomes are recorded or <paramref name="until"/> passes, woken by each new
    /// outcome (and every 5 s, in case a notice was lost).
    /// </summary>
    /// <param name="count">The outcomes to wait for.</param>
    /// <param name="until">When to stop waiting.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The outcomes recorded when it returned.</returns>
    public async Task<long> WaitForAsync(int count, DateTimeOffset until, CancellationToken cancellationToken)
    {
        using var signal = new SemaphoreSlim(0);
        var queue = await _subscriber.SubscribeAsync(_channel);
        queue.OnMessage(_ => signal.Release());
        try
        {
            while (true)
            {
                var recorded = await _db.HashLengthAsync(_outcomes);
                var left = until - DateTimeOffset.UtcNow;
                if (recorded >= count || left <= TimeSpan.Zero)
                {
                    return recorded;
                }

                await signal.WaitAsync(left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5), cancellationToken);
            }
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }

    /// <summary>Appends a silo's memory sample: the waits it holds, and its managed heap after a full collection.</summary>
    /// <param name="silo">The silo's name.</param>
    /// <param name="waits">The wait grains active on it.</param>
    /// <param name="heapBytes">Its managed heap, in bytes.</param>
    /// <returns>A task that completes once it is stored.</returns>
    public Task AddMemorySampleAsync(string silo, int waits, long heapBytes) =>
        _db.ListRightPushAsync($"{_run}/memory/{silo}", string.Create(CultureInfo.InvariantCulture, $"{waits} {heapBytes}"));

    /// <summary>A silo's memory samples, oldest first.</summary>
    /// <param name="silo">The silo's name.</param>
    /// <returns>The samples.</returns>
    public async Task<IReadOnlyList<(int Waits, long HeapBytes)>> ReadMemorySamplesAsync(string silo)
    {
        var values = await _db.ListRangeAsync($"{_run}/memory/{silo}");
        return [.. values.Select(v => v.ToString().Split(' ')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture)))];
    }
}
