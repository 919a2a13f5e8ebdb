using System.Net;
using System.Net.Sockets;
using DeviceCommands.Client.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// Where the service's postbacks reach the cluster: every silo serves <c>POST /waits/{user}/{wait}/{key}</c> on one
/// loopback port that all of them share (SO_REUSEPORT: the kernel hands each connection to a live silo, so the port
/// answers while one silo lives, as a load balancer in front of the cluster would). The silo that takes a postback
/// answers 202 at once and hands it to the wait's grain, wherever that lives; while the cluster has not yet declared
/// a dead silo dead, the call fails, and is tried again every second for <see cref="RouteFor"/>.
/// </summary>
public sealed class CallbackEndpoint : IAsyncDisposable
{
    /// <summary>How long a postback is tried on its grain: long enough for the cluster to declare a dead silo dead.</summary>
    public static readonly TimeSpan RouteFor = TimeSpan.FromSeconds(60);

    /// <summary>The postbacks being routed at most; beyond, the endpoint answers 503 (the wait's polling still sees the command).</summary>
    public const int MaxInFlight = 10_000;

    private readonly WebApplication _app;
    private readonly IGrainFactory _grains;
    private readonly CancellationTokenSource _stopping = new();
    private int _inFlight;

    private CallbackEndpoint(WebApplication app, IGrainFactory grains) => (_app, _grains) = (app, grains);

    /// <summary>The base URL of <paramref name="port"/> on loopback, under which each wait's key is a path.</summary>
    /// <param name="port">The shared port.</param>
    /// <returns><c>http://127.0.0.1:{port}/waits/</c>.</returns>
    public static Uri BaseUrl(int port) => new($"http://127.0.0.1:{port}/waits/");

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/>, shared with the other silos.</summary>
    /// <param name="port">The shared port.</param>
    /// <param name="grains">This silo's grain factory.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The endpoint, serving.</returns>
    public static async Task<CallbackEndpoint> StartAsync(int port, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = Shared);
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var endpoint = new CallbackEndpoint(app, grains);
        app.MapPost("/waits/{user}/{wait}/{key}", endpoint.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        return endpoint;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task<IResult> ReceiveAsync(string user, string wait, string key, HttpRequest request)
    {
        if (!IsName(user) || !IsName(wait) || !IsCallbackKey(key))
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > CommandCallbackReceiver.MaxBodyBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            body.Write(buffer, 0, read);
        }

        if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        _ = RouteAsync($"{user}/{wait}", key, body.ToArray());
        return Results.Accepted();
    }

    /// <summary>Hands the postback to the wait's grain, again every second while the call fails, for <see cref="RouteFor"/>.</summary>
    private async Task RouteAsync(string grainKey, string key, byte[] body)
    {
        try
        {
            var grain = _grains.GetGrain<IWaitGrain>(grainKey);
            var until = DateTimeOffset.UtcNow + RouteFor;
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    await grain.CallbackAsync(key, body).WaitAsync(TimeSpan.FromSeconds(5), _stopping.Token);
                    return;
                }
                catch (Exception) when (!_stopping.IsCancellationRequested && DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1) < until)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token);
                }
            }
        }
        catch (Exception)
        {
            // given up, or the silo stops: a postback is only a hint, and the wait's polling still sees the command
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>A listening socket that other processes may bind too (SO_REUSEPORT on Linux and macOS).</summary>
    private static Socket Shared(EndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            const int SolSocket = 0xffff, SoReusePort = 0x0200; // macOS
            var (level, name) = OperatingSystem.IsLinux() ? (1, 15) : (SolSocket, SoReusePort);
            socket.SetRawSocketOption(level, name, BitConverter.GetBytes(1));
        }
        else
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        socket.Bind(endpoint);
        return socket;
    }

    private static bool IsName(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');

    private static bool IsCallbackKey(string text) => text.Length == 22 && IsName(text);
}
