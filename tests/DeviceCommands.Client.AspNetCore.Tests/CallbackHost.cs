using System.Diagnostics;
using DeviceCommands.Client.AspNetCore;
using DeviceCommands.Client.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.AspNetCore.Tests;

/// <summary>A web app on Kestrel (127.0.0.1, a free port) that maps the callbacks and notes when each one arrived.</summary>
internal sealed class CallbackHost : IAsyncDisposable
{
    public const string Pattern = "/device-commands/callbacks";
    private readonly WebApplication _app;
    private readonly List<long> _arrivals = [];

    private CallbackHost(WebApplication app, CommandCallbackReceiver receiver, Uri address) => (_app, Receiver, Address) = (app, receiver, address);

    public CommandCallbackReceiver Receiver { get; }

    public Uri Address { get; }

    /// <summary>When each callback request arrived (<see cref="Stopwatch"/> timestamps), in order.</summary>
    public IReadOnlyList<long> Arrivals { get { lock (_arrivals) { return [.. _arrivals]; } } }

    public static async Task<CallbackHost> StartAsync()
    {
        var port = LoopbackPort.Free();
        var address = new Uri($"http://127.0.0.1:{port}");
        var receiver = new CommandCallbackReceiver(new Uri(address, Pattern));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.AbsoluteUri);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new CallbackHost(app, receiver, address);
        app.Use(async (context, next) =>
        {
            lock (host._arrivals)
            {
                host._arrivals.Add(Stopwatch.GetTimestamp());
            }

            await next(context);
        });
        app.MapDeviceCommandCallbacks(Pattern, receiver);
        await app.StartAsync();
        return host;
    }

    public Uri UrlFor(string key) => new(Address, $"{Pattern}/{key}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
