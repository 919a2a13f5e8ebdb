using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace DeviceCommands.Samples.Fleet;

/// <summary>What a silo needs to know: who it is, where the service is, and how waits poll.</summary>
public sealed class FleetSiloSettings
{
    /// <summary>The silo's name, recorded with the intents it stores and the outcomes it reports.</summary>
    public string SiloName { get; init; } = "silo";

    /// <summary>The device-command service's base URL (the emulator's, in the sample).</summary>
    public Uri ServiceUrl { get; init; } = new(DeviceCommands.Client.DeviceCommandsClient.DefaultBaseUrl);

    /// <summary>The delay before the first poll after the POST, and the schedule's first step.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two polls.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The cluster's postback endpoint (<see cref="CallbackEndpoint.BaseUrl"/>), sent as each command's postBackUri
    /// under it; null runs the waits on polling alone.
    /// </summary>
    public Uri? CallbackBaseUrl { get; init; }

    /// <summary>
    /// With callbacks, the first poll's delay after the POST: only the fallback for a lost postback, so after the time a
    /// command usually takes (the emulator's 3 steps of 2 s). Later fallback polls follow the client's schedule for waits
    /// with callbacks (<see cref="DeviceCommands.Client.CommandWaitOptions.CallbackFallbackFactor"/> times slower). Default 10 s.
    /// </summary>
    public TimeSpan CallbackFallbackDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a wait may last from its acceptance.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// A silo of the fleet: Orleans with its membership, grain state and reminders in one Redis, and the waits. Run as its
/// own process (<c>Fleet silo ...</c>), so that killing it is a real death.
/// </summary>
public static class FleetSilo
{
    /// <summary>The name of the grain storage that holds the waits' state.</summary>
    public const string StorageName = "waits";

    /// <summary>
    /// Runs a silo until its standard input closes: prints <c>ready {name}</c> once it has joined the cluster.
    /// </summary>
    /// <param name="args">
    /// <c>--name silo-1 --redis host:port --run id --base-url url --silo-port n --gateway-port n [--callback-port n]</c>.
    /// </param>
    /// <returns>0 after a clean stop.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        string Value(string name) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"The silo needs {name}.");
        var callbackPort = args.Contains("--callback-port") ? Port(Value("--callback-port")) : (int?)null;
        var settings = new FleetSiloSettings
        {
            SiloName = Value("--name"),
            ServiceUrl = new Uri(Value("--base-url")),
            CallbackBaseUrl = callbackPort is { } p ? CallbackEndpoint.BaseUrl(p) : null,
        };
        var run = Value("--run");
        var redis = Store(Value("--redis"));

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff ")).SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (run, run));
            silo.ConfigureEndpoints(IPAddress.Loopback, Port(Value("--silo-port")), Port(Value("--gateway-port")));
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
            silo.AddRedisGrainStorage(StorageName, o => o.ConfigurationOptions = redis.Clone());
            silo.UseSystemTextJsonGrainStorageSerializer(); // plain JSON in Redis, no type names
            silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = WaitGrain.WatchdogPeriod);
            silo.Configure<ClusterMembershipOptions>(Membership);
            silo.Configure<SiloMessagingOptions>(o => (o.ResponseTimeout, o.SystemResponseTimeout) = (StoreStall, StoreStall));
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ICredentialSource, NoCredentials>();
        builder.Services.AddSingleton<UserClients>();
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis.Clone()));
        builder.Services.AddSingleton(sp => new OutcomeBoard(sp.GetRequiredService<IConnectionMultiplexer>(), run));
        builder.Services.AddHostedService<MemorySampler>();

        using var host = builder.Build();
        await host.StartAsync();
        await using var callbacks = callbackPort is { } port
            ? await CallbackEndpoint.StartAsync(port, host.Services.GetRequiredService<IGrainFactory>(), CancellationToken.None)
            : null;
        Console.WriteLine($"ready {settings.SiloName}");

        // the driver keeps standard input open while it wants the silo; its end (or the driver's death) stops it
        await Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        });
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await host.StopAsync(stopping.Token);
        return 0;
    }

    /// <summary>
    /// How long a call to the store may take before it counts as failed: longer than the stall of up to 30 s the fleet
    /// rides out, so a paused Redis makes calls late, not failed (StackExchange.Redis' own default is 5 s).
    /// </summary>
    public static readonly TimeSpan StoreStall = TimeSpan.FromSeconds(45);

    /// <summary>The options of a connection to the store at <c>host:port</c>.</summary>
    /// <param name="endpoint">The store's <c>host:port</c>.</param>
    /// <returns>The options: no failure on a first connect, so a silo rides out a store that starts late; calls wait up to <see cref="StoreStall"/>.</returns>
    public static ConfigurationOptions Store(string endpoint)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        options.AsyncTimeout = options.SyncTimeout = (int)StoreStall.TotalMilliseconds;
        return options;
    }

    /// <summary>
    /// How the silos decide that one is dead, so that a lone survivor of three takes over within seconds. Orleans
    /// evicts a silo on min(<see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>, half the active silos
    /// rounded up) votes; with the default 2 votes, two dead of three still count as active until their I-am-alive rows go
    /// stale (minutes), and the survivor's one vote is not enough. One vote is: every silo runs on this machine, so a
    /// silo that misses 3 probes of 2 s (6 s) is dead, not far away, and a silo whose own health is degraded (Orleans'
    /// local health score) does not vote. Probes go silo to silo, not through Redis, so a stalled store kills no one; the
    /// vote itself is written to Redis, so no silo is declared dead while the store stalls.
    /// </summary>
    /// <param name="options">The options to set.</param>
    public static void Membership(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.NumVotesForDeathDeclaration = 1;
        options.ProbeTimeout = TimeSpan.FromSeconds(2);
        options.NumMissedProbesLimit = 3;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
    }

    private static int Port(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>
/// Samples, every second, how many waits this silo holds and its managed heap after a full collection, onto the
/// <see cref="OutcomeBoard"/>: the driver fits bytes per waiting grain from them.
/// </summary>
public sealed class MemorySampler(OutcomeBoard board, FleetSiloSettings settings) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var waits = WaitGrain.Active;
                try
                {
                    await board.AddMemorySampleAsync(settings.SiloName, waits, GC.GetTotalMemory(forceFullCollection: true));
                }
                catch (RedisException)
                {
                    // the store stalls or went away: this sample is lost, the next is tried
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
