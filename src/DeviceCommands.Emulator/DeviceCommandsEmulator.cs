using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Emulator;

/// <summary>
/// An in-memory emulator of the Microsoft Graph beta device-command service, on real Kestrel, bound to loopback.
/// </summary>
/// <remarks>
/// <para>It serves, under <see cref="BaseUrl"/> (<c>http://127.0.0.1:{port}/beta</c>):</para>
/// <list type="bullet">
/// <item><c>GET me/devices</c>: 200 <c>{"value":[device, ...]}</c>.</item>
/// <item><c>POST me/devices/{id}/commands</c> (or <c>/command</c>): 201 with the created command, status <c>requesting</c>;
/// 404 <c>ResourceNotFound</c> for an unknown device; 400 <c>BadRequest</c> for a body that is not a JSON object, a
/// missing or unknown <c>type</c>, a <c>LaunchUri</c> without an absolute http(s) <c>payload.uri</c>, or an
/// <c>AppService</c> without <c>appServiceName</c> and <c>packageFamilyName</c>; 413 for a body over
/// <see cref="EmulatorOptions.MaxRequestBodyBytes"/>. Property names are read case-insensitively.</item>
/// <item><c>GET me/devices/{id}/commands/{commandId}</c>: 200 with the command's current status; 404 for an unknown
/// device or command (also one forgotten past <see cref="EmulatorOptions.MaxCommands"/>).</item>
/// <item><c>GET me/devices/{id}/commands/{commandId}/responsePayload</c> (any case): 200 with a payload response for a
/// <c>completed</c> <c>AppService</c> command, echoing the request's payload (quirky: its properties beside
/// <c>Type</c>/<c>CreationDate</c>; clean: under <c>payload</c>); 404 <c>PayloadNotAvailable</c> for a command not
/// completed (yet, or ever) and for every <c>LaunchUri</c> command.</item>
/// </list>
/// <para>Every error is a Graph OData error, <c>{"error":{"code":"...","message":"..."}}</c>; a wrong method is 405.
/// A status is computed from the command's age by <see cref="EmulatorOptions.TimeProvider"/>: one
/// <see cref="EmulatorOptions.StepDelay"/> in each non-terminal status, then the terminal status of the device's
/// <see cref="DeviceBehavior"/>.</para>
/// </remarks>
public sealed class DeviceCommandsEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CommandStore _store;
    private readonly Endpoints _endpoints;
    private readonly TextWriter? _transitionLog;
    private readonly ITimer? _transitionTimer;
    private readonly Lock _logGate = new();
    private int _disposed;

    private DeviceCommandsEmulator(WebApplication app, CommandStore store, Endpoints endpoints, EmulatorOptions options, Uri baseUrl)
    {
        _app = app;
        _store = store;
        _endpoints = endpoints;
        BaseUrl = baseUrl;
        _transitionLog = options.TransitionLog;
        if (_transitionLog is not null)
        {
            TimeSpan period = TimeSpan.FromTicks(Math.Clamp(options.StepDelay.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
            _transitionTimer = options.TimeProvider.CreateTimer(_ => LogTransitions(), null, period, period);
        }
    }

    /// <summary>The service root, <c>http://127.0.0.1:{port}/beta</c>: give it to the client's <c>BaseUrl</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Every request received, whatever its answer (faults and errors included).</summary>
    public int RequestCount => _store.RequestCount;

    /// <summary>
    /// Every POST received on a commands path (<c>me/devices/{id}/commands</c>), whatever its answer: injected faults,
    /// 4xx and 201 alike. The number of commands created is <c>GetCommands().Count</c> (until eviction).
    /// </summary>
    public int PostCount => _store.PostCount;

    /// <summary>
    /// The POSTs counted by <see cref="PostCount"/> whose <c>client-request-id</c> header value was already seen on an
    /// earlier one (the last <see cref="EmulatorOptions.MaxCommands"/> ids are remembered). Zero proves no command
    /// request was sent twice. A client that resends after a 429, which is allowed, counts here too; to check that no
    /// command was <em>created</em> twice, group <see cref="GetCommands"/> by <see cref="EmulatedCommand.ClientRequestId"/>.
    /// </summary>
    public int DuplicatePostCount => _store.DuplicatePostCount;

    /// <summary>Starts an emulator on a free loopback port (127.0.0.1, port 0) with real Kestrel.</summary>
    /// <param name="options">Its settings; null for the defaults. They are validated and copied.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">A setting is out of range (a negative delay, a rate outside 0..1, ...).</exception>
    public static Task<DeviceCommandsEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options, [new IPEndPoint(IPAddress.Loopback, 0)], cancellationToken);

    internal static async Task<DeviceCommandsEmulator> StartAsync(EmulatorOptions? options, IReadOnlyList<IPEndPoint> endpoints, CancellationToken cancellationToken)
    {
        EmulatorOptions settings = (options ?? new EmulatorOptions()).ValidatedCopy();
        foreach (IPEndPoint endpoint in endpoints)
        {
            if (!IPAddress.IsLoopback(endpoint.Address))
            {
                throw new ArgumentException($"The emulator listens on loopback only, not on {endpoint}.", nameof(endpoints));
            }
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DeviceCommandsEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, UnsignalledLifetime>();
        if (settings.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint);
            }
        });

        WebApplication app = builder.Build();
        CommandStore store = new(settings.MaxCommands);
        Endpoints handler = new(settings, store);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Uri baseUrl = new(address.TrimEnd('/') + "/beta");
        return new DeviceCommandsEmulator(app, store, handler, settings, baseUrl);
    }

    /// <summary>A snapshot of the remembered commands, oldest first, each with its current status.</summary>
    public IReadOnlyList<EmulatedCommand> GetCommands() =>
        [.. _store.All().Select(command => new EmulatedCommand(command.Id, command.Device.Id, command.Type, command.RequestBody,
            command.CreatedAt, command.ClientRequestId, _endpoints.StatusOf(command).Status))];

    /// <summary>Forgets every command and seen <c>client-request-id</c>, and sets the counters back to zero.</summary>
    public void Reset() => _store.Reset();

    /// <summary>Stops the server and releases its port.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_transitionTimer is not null)
        {
            await _transitionTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the console lifetime: an emulator inside someone's process must not take over Ctrl+C or SIGTERM
    /// (the program mode handles its own signals).
    /// </summary>
    private sealed class UnsignalledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private void LogTransitions()
    {
        // One timer for the whole emulator; the lock keeps overlapping ticks from writing lines out of order.
        lock (_logGate)
        {
            try
            {
                foreach ((StoredCommand command, string? from, StatusAt to) in _store.TakeTransitions(_endpoints.StatusOf))
                {
                    _transitionLog!.WriteLine($"cmd {command.Id[..8]}… on {command.Device.Id}: {from ?? "posted"} -> {to.Status}");
                }

                _transitionLog!.Flush();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // A closed log must not take the emulator (or its host process) down from a timer thread.
            }
        }
    }
}
