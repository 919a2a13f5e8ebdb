using System.Net;
using System.Net.Sockets;
using DeviceCommands.Client.AspNetCore;
using DeviceCommands.Client.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Benchmarks.Callbacks;

/// <summary>A web app on Kestrel (127.0.0.1, a free port) that serves a receiver's callbacks with <c>MapDeviceCommandCallbacks</c>.</summary>
internal sealed class ReceiverHost : IAsyncDisposable
{
    public const string Pattern = "/device-commands/callbacks";
    private readonly WebApplication _app;

    private ReceiverHost(WebApplication app, CommandCallbackReceiver receiver) => (_app, Receiver) = (app, receiver);

    public CommandCallbackReceiver Receiver { get; }

    public static async Task<ReceiverHost> StartAsync()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var receiver = new CommandCallbackReceiver(new Uri(address, Pattern));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.AbsoluteUri);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapDeviceCommandCallbacks(Pattern, receiver);
        await app.StartAsync();
        return new ReceiverHost(app, receiver);
    }

    public Uri UrlFor(string key) => new($"{Receiver.CallbackBaseUrl}/{key}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
