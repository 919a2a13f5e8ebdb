using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// A cluster on one machine: the store (Garnet embedded, or the Redis given), silo processes that share it, and an
/// Orleans client that finds them through it. Each cluster has its own run id, which prefixes every key it writes.
/// </summary>
public sealed class FleetCluster : IAsyncDisposable
{
    private readonly EmbeddedStore? _embedded;
    private readonly ConnectionMultiplexer _connection;
    private readonly IHost _client;
    private readonly List<SiloProcess> _silos;
    private readonly Uri _serviceUrl;

    private FleetCluster(EmbeddedStore? embedded, string redis, string run, Uri serviceUrl, string logs, int? callbackPort, List<SiloProcess> silos, ConnectionMultiplexer connection, IHost client, TimeSpan startup)
    {
        (_embedded, Redis, Run, _serviceUrl, LogDirectory, CallbackPort, _silos, _connection, _client, Startup) = (embedded, redis, run, serviceUrl, logs, callbackPort, silos, connection, client, startup);
        Board = new OutcomeBoard(connection, run);
        Client = client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>How long the driver's client waits for a grain's answer unless told otherwise: 20 s.</summary>
    public static readonly TimeSpan DefaultClientResponseTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The store's <c>host:port</c>.</summary>
    public string Redis { get; }

    /// <summary>What the store is: <c>Garnet embedded at ...</c> or <c>Redis at ...</c>.</summary>
    public string Store => _embedded is null ? $"Redis at {Redis}" : $"Garnet embedded at {Redis}";

    /// <summary>The driver's own connection to the store.</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <summary>The run's id: the Orleans cluster and service id, and the prefix of every key.</summary>
    public string Run { get; }

    /// <summary>The silos started, killed ones included.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>The client that calls the grains.</summary>
    public IClusterClient Client { get; }

    /// <summary>Where the waits record their outcomes.</summary>
    public OutcomeBoard Board { get; }

    /// <summary>The time from the start to every silo ready and the client connected.</summary>
    public TimeSpan Startup { get; }

    /// <summary>Where the silos' logs are: a <c>fleet-logs-*</c> folder in the temporary folder, deleted on dispose unless <see cref="KeepLogs"/>.</summary>
    public string LogDirectory { get; }

    /// <summary>Whether <see cref="DisposeAsync"/> leaves <see cref="LogDirectory"/> in place. Default false: deleted.</summary>
    public bool KeepLogs { get; set; }

    /// <summary>The loopback port every silo serves postbacks on (<see cref="CallbackEndpoint"/>); null without callbacks.</summary>
    public int? CallbackPort { get; }

    /// <summary>Starts the store (unless given), <paramref name="silos"/> silo processes, and the client.</summary>
    /// <param name="redis">A Redis at <c>host:port</c>; null embeds Garnet.</param>
    /// <param name="serviceUrl">The device-command service's base URL.</param>
    /// <param name="silos">How many silos.</param>
    /// <param name="callbacks">Whether the silos serve a postback endpoint and send its URL with each command.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The running cluster.</returns>
    public static Task<FleetCluster> StartAsync(string? redis, Uri serviceUrl, int silos, bool callbacks, CancellationToken cancellationToken) =>
        StartAsync(redis, serviceUrl, silos, callbacks, DefaultClientResponseTimeout, cancellationToken);

    /// <summary>Starts the store (unless given), <paramref name="silos"/> silo processes, and a client whose calls wait <paramref name="clientResponseTimeout"/>.</summary>
    /// <param name="redis">A Redis at <c>host:port</c>; null embeds Garnet.</param>
    /// <param name="serviceUrl">The device-command service's base URL.</param>
    /// <param name="silos">How many silos.</param>
    /// <param name="callbacks">Whether the silos serve a postback endpoint and send its URL with each command.</param>
    /// <param name="clientResponseTimeout">How long the client waits for a grain's answer (<see cref="FleetOptions.ClientResponseTimeout"/>).</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The running cluster.</returns>
    public static async Task<FleetCluster> StartAsync(string? redis, Uri serviceUrl, int silos, bool callbacks, TimeSpan clientResponseTimeout, CancellationToken cancellationToken)
    {
        var callbackPort = callbacks ? EmbeddedStore.FreePort() : (int?)null;
        var clock = Stopwatch.StartNew();
        var run = "fleet-" + Guid.NewGuid().ToString("N")[..12];
        var embedded = redis is null ? EmbeddedStore.Start() : null;
        var endpoint = redis ?? embedded!.Endpoint;
        var started = new List<SiloProcess>();
        string? logs = null;
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(FleetSilo.Store(endpoint));
            logs = Directory.CreateTempSubdirectory("fleet-logs-").FullName;
            started.AddRange(Enumerable.Range(1, silos).Select(i => SiloProcess.Start($"silo-{i}", endpoint, run, serviceUrl, logs, callbackPort)));
            await Task.WhenAll(started.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(120)))).WaitAsync(cancellationToken);
            var client = await ConnectAsync(endpoint, run, clientResponseTimeout, cancellationToken);
            return new FleetCluster(embedded, endpoint, run, serviceUrl, logs, callbackPort, started, connection, client, clock.Elapsed);
        }
        catch
        {
            started.ForEach(s => s.Dispose());
            embedded?.Dispose();
            DeleteLogs(logs);
            throw;
        }
    }

    /// <summary>Starts one more silo and waits until it has joined.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The silo.</returns>
    public async Task<SiloProcess> AddSiloAsync(CancellationToken cancellationToken)
    {
        var silo = SiloProcess.Start(string.Create(CultureInfo.InvariantCulture, $"silo-{_silos.Count + 1}"), Redis, Run, _serviceUrl, LogDirectory, CallbackPort);
        _silos.Add(silo);
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(120)).WaitAsync(cancellationToken);
        return silo;
    }

    /// <summary>The silo that holds the grain's activation now; null when none does.</summary>
    /// <param name="grain">The grain.</param>
    /// <returns>The silo, or null.</returns>
    public async Task<SiloProcess?> HostOfAsync(IAddressable grain)
    {
        var address = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return address is null ? null : _silos.FirstOrDefault(s => s.SiloPort == address.Endpoint.Port);
    }

    /// <summary>Stops the silos still running, cleanly.</summary>
    /// <returns>A task that completes when they have ended.</returns>
    public Task StopSilosAsync() => Task.WhenAll(_silos.Where(s => !s.Killed).Select(s => s.StopAsync()));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.StopAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
        await StopSilosAsync();
        _silos.ForEach(s => s.Dispose());
        await _connection.DisposeAsync();
        _embedded?.Dispose();
        if (!KeepLogs)
        {
            DeleteLogs(LogDirectory);
        }
    }

    /// <summary>Deletes a run's log folder (the silos have ended and closed their files); a folder that cannot be deleted stays.</summary>
    private static void DeleteLogs(string? folder)
    {
        try
        {
            if (folder is not null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left in the temporary folder; nothing else depends on it
        }
    }

    private static async Task<IHost> ConnectAsync(string redis, string run, TimeSpan responseTimeout, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (run, run));
            client.UseRedisClustering(o => o.ConfigurationOptions = FleetSilo.Store(redis));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = responseTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
