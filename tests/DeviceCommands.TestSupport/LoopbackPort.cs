using System.Net;
using System.Net.Sockets;

namespace DeviceCommands.TestSupport;

/// <summary>Loopback ports for servers a test starts as processes or hosts of their own (Kestrel, redis-server).</summary>
public static class LoopbackPort
{
    /// <summary>A port of 127.0.0.1 that was free a moment ago (the system's choice; another process may take it before the caller binds it).</summary>
    /// <returns>The port number.</returns>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
