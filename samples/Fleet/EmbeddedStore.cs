using System.Net;
using System.Net.Sockets;
using Garnet;
using Garnet.server;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// Garnet (Microsoft Research's Redis-compatible server) in this process, on a free loopback port, with a temporary
/// directory: the store when no Redis is given, so the sample and its test need nothing installed. Lua is on, since
/// Orleans' Redis grain storage and reminders write through scripts.
/// </summary>
public sealed class EmbeddedStore : IDisposable
{
    private readonly GarnetServer _server;
    private readonly string _directory;

    private EmbeddedStore(GarnetServer server, string directory, int port)
    {
        _server = server;
        _directory = directory;
        Endpoint = $"127.0.0.1:{port}";
    }

    /// <summary>The store's <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Starts Garnet on a free loopback port.</summary>
    /// <returns>The running store; dispose it to stop it and delete its directory.</returns>
    public static EmbeddedStore Start()
    {
        var directory = Directory.CreateTempSubdirectory("fleet-garnet-").FullName;
        var port = FreePort();
        try
        {
            // Lua needs its options set too: without them Garnet 2.2.8's constructor fails (NullReferenceException)
            var server = new GarnetServer(new GarnetServerOptions
            {
                EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
                EnableLua = true,
                LuaOptions = new LuaOptions(logger: null),
                CheckpointDir = directory,
                QuietMode = true,
            });
            server.Start();
            return new EmbeddedStore(server, directory, port);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
