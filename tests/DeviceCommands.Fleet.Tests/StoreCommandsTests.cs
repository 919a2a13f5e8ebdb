using DeviceCommands.Samples.Fleet;
using StackExchange.Redis;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// The store (Garnet embedded, or the Redis named by <c>FLEET_REDIS</c>) answers every kind of command that Orleans'
/// Redis providers and the outcome board send, in the shapes they send them (the scripts are the providers' own).
/// </summary>
public sealed class StoreCommandsTests : IAsyncLifetime
{
    private EmbeddedStore? _embedded;
    private ConnectionMultiplexer _redis = null!;
    private IDatabase _db = null!;
    private readonly string _prefix = "store-test-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable("FLEET_REDIS") is { Length: > 0 } r ? r : (_embedded = EmbeddedStore.Start()).Endpoint;
        _redis = await ConnectionMultiplexer.ConnectAsync(FleetSilo.Store(endpoint));
        _db = _redis.GetDatabase();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _embedded?.Dispose();
    }

    [Fact]
    public async Task Grain_state_is_written_by_a_script_that_checks_the_etag_and_read_back_with_HGETALL()
    {
        // Orleans.Persistence.Redis' write: HGET the etag, HMSET etag and data only if it matches, else -1
        const string Write = """
            local etag = redis.call('HGET', KEYS[1], 'etag')
            if ((not etag or etag == '') and (not ARGV[1] or ARGV[1] == '')) or etag == ARGV[1] then
              redis.call('HMSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
              if ARGV[4] ~= '-1' then
                redis.call('EXPIRE', KEYS[1], ARGV[4])
              end
              return 0
            else
              return -1
            end
            """;
        RedisKey key = $"{_prefix}/state";

        var first = await _db.ScriptEvaluateAsync(Write, [key], ["", "e1", "{\"a\":1}", "3600"]);
        var stale = await _db.ScriptEvaluateAsync(Write, [key], ["", "e2", "{\"a\":2}", "-1"]);
        var next = await _db.ScriptEvaluateAsync(Write, [key], ["e1", "e3", "{\"a\":3}", "-1"]);
        var read = (await _db.HashGetAllAsync(key)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());

        Assert.Equal(0, (int)first);
        Assert.Equal(-1, (int)stale);
        Assert.Equal(0, (int)next);
        Assert.Equal("e3", read["etag"]);
        Assert.Equal("{\"a\":3}", read["data"]);
    }

    [Fact]
    public async Task Reminders_are_upserted_by_a_script_over_a_sorted_set_and_read_by_lexical_range()
    {
        // Orleans.Reminders.Redis: ZREMRANGEBYLEX then ZADD in one script; reads with ZRANGEBYLEX; removes with ZREMRANGEBYLEX
        const string Upsert = """
            local key = KEYS[1]
            local from = '[' .. ARGV[1] -- start of the conditional (with etag) key range
            local to = '[' .. ARGV[2] -- end of the conditional (with etag) key range
            local value = ARGV[3]

            -- Remove all entries for this reminder
            local remRes = redis.call('ZREMRANGEBYLEX', key, from, to);

            -- Add the new reminder entry
            local addRes = redis.call('ZADD', key, 0, value);
            return { key, from, to, value, remRes, addRes }
            """;
        RedisKey key = $"{_prefix}/reminders";

        await _db.ScriptEvaluateAsync(Upsert, [key], ["\"0000AAAA\",\"g1\",\"watchdog\"", "\"0000AAAA\",\"g1\",\"watchdog\",\"~", "\"0000AAAA\",\"g1\",\"watchdog\",\"e1\""]);
        await _db.ScriptEvaluateAsync(Upsert, [key], ["\"0000AAAA\",\"g1\",\"watchdog\"", "\"0000AAAA\",\"g1\",\"watchdog\",\"~", "\"0000AAAA\",\"g1\",\"watchdog\",\"e2\""]);
        await _db.SortedSetAddAsync(key, "\"FFFF0000\",\"g2\",\"watchdog\",\"e1\"", 0);
        var inRange = await _db.SortedSetRangeByValueAsync(key, "\"00000000\"", "\"8FFFFFFF\"");
        var removed = await _db.SortedSetRemoveRangeByValueAsync(key, "\"FFFF0000\"", "\"FFFF0000\"~");

        Assert.Equal("\"0000AAAA\",\"g1\",\"watchdog\",\"e2\"", Assert.Single(inRange).ToString());
        Assert.Equal(1, removed);
    }

    [Fact]
    public async Task Membership_rows_change_in_transactions_guarded_by_hash_conditions()
    {
        // Orleans.Clustering.Redis: MULTI/EXEC with WATCHed conditions on the table version and the row
        RedisKey key = $"{_prefix}/members";
        await _db.HashSetAsync(key, "Version", "1", When.NotExists);

        var insert = _db.CreateTransaction();
        var version = insert.AddCondition(Condition.HashEqual(key, "Version", "1"));
        var absent = insert.AddCondition(Condition.HashNotExists(key, "silo-1"));
        _ = insert.HashSetAsync(key, [new HashEntry("Version", "2"), new HashEntry("silo-1", "{}")]);
        var inserted = await insert.ExecuteAsync();

        var stale = _db.CreateTransaction();
        stale.AddCondition(Condition.HashEqual(key, "Version", "1"));
        _ = stale.HashSetAsync(key, "silo-2", "{}");
        var staleApplied = await stale.ExecuteAsync();

        Assert.True(inserted && version.WasSatisfied && absent.WasSatisfied);
        Assert.False(staleApplied);
        Assert.Equal(2, (await _db.HashGetAllAsync(key)).Length);
    }

    [Fact]
    public async Task Outcomes_are_kept_first_write_wins_and_announced_on_a_channel()
    {
        var board = new OutcomeBoard(_redis, _prefix);
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"{_prefix}/outcomes"));
        queue.OnMessage(m => announced.TrySetResult(m.Message.ToString()));

        await board.RecordAsync(new WaitOutcome { Key = "user-00/wait-0000", Kind = WaitOutcomeKind.Completed, Status = "completed" });
        await board.RecordAsync(new WaitOutcome { Key = "user-00/wait-0000", Kind = WaitOutcomeKind.Unknown, Status = WaitOutcome.UnknownText });
        await board.AddMemorySampleAsync("silo-1", 12, 34_000_000);

        Assert.Equal("user-00/wait-0000", await announced.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(WaitOutcomeKind.Completed, Assert.Single(await board.ReadAllAsync()).Kind);
        Assert.Equal((12, 34_000_000L), Assert.Single(await board.ReadMemorySamplesAsync("silo-1")));
        Assert.Equal(1, await board.WaitForAsync(1, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5), CancellationToken.None));
    }
}
