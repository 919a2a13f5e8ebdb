using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using DeviceCommands.Emulator.Admin;
using DeviceCommands.Emulator.Hosting;
using DeviceCommands.Emulator.Http;
using DeviceCommands.Emulator.PostBacks;
using DeviceCommands.Emulator.State;

namespace DeviceCommands.Emulator;

/// <summary>
/// An emulator of the Microsoft Graph beta device-command service: on real Kestrel bound to loopback
/// (<see cref="StartAsync(EmulatorOptions?, CancellationToken)"/>), or in memory with no socket at all
/// (<see cref="CreateInMemory"/>), reached through <see cref="CreateHandler"/>. Both answer exactly alike.
/// </summary>
/// <remarks>
/// Steered with <see cref="Devices"/>, <see cref="Script"/>, <see cref="GetRequests"/> and <see cref="Reset"/>, or over
/// HTTP under <c>/_emulator</c>. What it models (paths, statuses, errors, limits) is specified in <c>docs/emulator.md</c>.
/// </remarks>
public sealed class DeviceCommandsEmulator : IAsyncDisposable
{
    /// <summary>
    /// The ports of the made-up authorities of in-memory emulators: below the ephemeral ranges (Linux 32768+, Windows
    /// 49152+) where Kestrel emulators on port 0 land, so a BaseUrl used without its handler reaches no emulator.
    /// </summary>
    private const int FirstInMemoryPort = 20_000, LastInMemoryPort = 32_767;

    private static int s_inMemoryCount = -1;

    private readonly EmulatorState _state;
    private readonly RequestPipeline _pipeline;
    private readonly TransitionLogger? _transitions;
    private WebApplication? _app;
    private int _disposed;

    private DeviceCommandsEmulator(EmulatorOptions options, Uri? baseUrl)
    {
        _state = new EmulatorState(options);
        BaseUrl = baseUrl!;
        _pipeline = new RequestPipeline(_state, new AdminEndpoints(_state, () => BaseUrl));
        _transitions = options.TransitionLog is { } log ? new TransitionLogger(_state, log) : null;
    }

    /// <summary>
    /// The service root: give it to the client's <c>BaseUrl</c>. Over Kestrel <c>http://127.0.0.1:{port}/beta</c>; in
    /// memory <c>http://localhost:{n}/beta</c>, with a made-up port (20000 to 32767) unique to the emulator.
    /// </summary>
    public Uri BaseUrl { get; private set; }

    /// <summary>The devices served: add, change or remove them while the emulator runs.</summary>
    public EmulatedDeviceCollection Devices => _state.Devices;

    /// <summary>Scripts the next answers (<c>Script.NextGets(commandId, 2, HttpStatusCode.ServiceUnavailable)</c>) and a command's outcome.</summary>
    public EmulatorScript Script => _state.Script;

    /// <summary>Every request received, whatever its answer (faults and errors included), except those of the admin API under <c>/_emulator</c>.</summary>
    public int RequestCount => _state.Store.RequestCount;

    /// <summary>
    /// Every POST received on a commands path (<c>me/devices/{id}/commands</c>), whatever its answer: injected faults,
    /// 4xx and 201 alike. The number of commands created is <c>GetCommands().Count</c> (until eviction).
    /// </summary>
    public int PostCount => _state.Store.PostCount;

    /// <summary>
    /// The POSTs counted by <see cref="PostCount"/> whose <c>client-request-id</c> header value was already seen on an
    /// earlier one (the last <see cref="EmulatorOptions.MaxCommands"/> ids are remembered). Zero proves no command
    /// request was sent twice. A client that resends after a 429, which is allowed, counts here too; to check that no
    /// command was <em>created</em> twice, group <see cref="GetCommands"/> by <see cref="EmulatedCommand.ClientRequestId"/>.
    /// </summary>
    public int DuplicatePostCount => _state.Store.DuplicatePostCount;

    /// <summary>
    /// The postbacks sent, answered or not (a duplicate counts twice; a dropped one not at all): see
    /// <see cref="EmulatorOptions.PostBackHandler"/>. Also in <c>GET /_emulator</c> as <c>postBackCount</c>.
    /// </summary>
    public int PostBackCount => _state.PostBackSender.Sent;

    /// <summary>Starts an emulator on a free loopback port (127.0.0.1, port 0) with real Kestrel.</summary>
    /// <param name="options">Its settings; null for the defaults. They are validated and copied.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">A setting is out of range (a negative delay, a rate outside 0..1, ...).</exception>
    public static Task<DeviceCommandsEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options, [new IPEndPoint(IPAddress.Loopback, 0)], cancellationToken);

    /// <summary>
    /// Creates an emulator with no socket and no port, reached only through <see cref="CreateHandler"/>. Many can run side
    /// by side (in parallel tests), each with its own state; creating one costs no more than its options.
    /// </summary>
    /// <param name="options">Its settings; null for the defaults. They are validated and copied.</param>
    /// <returns>The emulator, serving at once; dispose it to end the requests in flight.</returns>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static DeviceCommandsEmulator CreateInMemory(EmulatorOptions? options = null)
    {
        EmulatorOptions settings = (options ?? new EmulatorOptions()).ValidatedCopy();
        int port = FirstInMemoryPort + (int)((uint)Interlocked.Increment(ref s_inMemoryCount) % (LastInMemoryPort - FirstInMemoryPort + 1));
        return new DeviceCommandsEmulator(settings, new Uri($"http://localhost:{port}/beta"));
    }

    /// <summary>
    /// A handler that serves this emulator's requests in memory, for either kind of emulator: give it to
    /// <c>DeviceCommandsClientOptions.HttpMessageHandler</c> with <c>BaseUrl = emulator.BaseUrl</c>. Requests behave exactly
    /// as over Kestrel (routing, status codes, headers, bodies, faults, token checks, limits). A request for another
    /// host or port than <see cref="BaseUrl"/>'s is answered 421 <c>MisdirectedRequest</c>; once the emulator is
    /// disposed, requests throw <see cref="HttpRequestException"/>. Each call gives a new handler; disposing it does not
    /// touch the emulator.
    /// </summary>
    /// <returns>The handler.</returns>
    /// <exception cref="ObjectDisposedException">The emulator is disposed.</exception>
    public HttpMessageHandler CreateHandler()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new InMemoryHandler(_state, _pipeline, BaseUrl);
    }

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

        DeviceCommandsEmulator emulator = new(settings, baseUrl: null);
        try
        {
            await emulator.ListenAsync(endpoints, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return emulator;
    }

    /// <summary>A snapshot of the remembered commands, oldest first, each with its current status.</summary>
    /// <returns>The commands.</returns>
    public IReadOnlyList<EmulatedCommand> GetCommands() =>
        [.. _state.Store.All().Select(command => new EmulatedCommand(command.Id, command.DeviceId, command.Type ?? string.Empty, command.RequestBody,
            command.CreatedAt, command.ClientRequestId, _state.StatusOf(command).Status))];

    /// <summary>
    /// A snapshot of the last requests received (at most <see cref="EmulatorOptions.MaxRecordedRequests"/>), in the order
    /// they were answered (or aborted), admin requests aside. Each says what was sent, with credentials masked.
    /// </summary>
    /// <returns>The requests.</returns>
    public IReadOnlyList<RecordedRequest> GetRequests() => _state.Requests.Snapshot();

    /// <summary>
    /// Back to a fresh emulator: forgets every command, seen <c>client-request-id</c>, recorded request and scripted
    /// answer, serves the devices it started with again, and sets the counters back to zero.
    /// </summary>
    public void Reset() => _state.Reset();

    /// <summary>
    /// Stops the emulator within a second: requests in flight (in injected latency, or with a body still arriving) are
    /// aborted, and a Kestrel emulator releases its port. Calling it again does nothing.
    /// </summary>
    /// <returns>A task that completes when the emulator has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _state.Stop();
        _state.PostBackSender.Dispose();
        if (_transitions is not null)
        {
            await _transitions.DisposeAsync().ConfigureAwait(false);
        }

        if (_app is not null)
        {
            // every request in flight was aborted above; what is left to close gets half a second
            using CancellationTokenSource grace = new(TimeSpan.FromMilliseconds(500));
            try
            {
                await _app.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the grace ran out: Kestrel has aborted the connections left
            }

            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ListenAsync(IReadOnlyList<IPEndPoint> endpoints, CancellationToken cancellationToken)
    {
        EmulatorOptions settings = _state.Options;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DeviceCommandsEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, UnsignalledLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
        if (settings.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = null; // RequestBodyTimeout is the one rule, as in memory
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint);
            }
        });

        _app = builder.Build();
        TimeProvider time = _state.Time;
        _app.Run(async context =>
        {
            using ClockWork work = ClockWork.Begin(time);
            await _pipeline.HandleAsync(context, work).ConfigureAwait(false);
        });
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/beta");
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
}
