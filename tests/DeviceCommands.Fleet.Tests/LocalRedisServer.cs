using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DeviceCommands.Samples.Fleet;

namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// A redis-server process of this machine, the only kind of store a test can pause (SIGSTOP): the one named by
/// <c>FLEET_REDIS</c> (as <c>.ci/run</c> starts it), else one started here on a free loopback port and stopped at the
/// end. Without either, the test fails and says what to install: it never passes without having paused anything.
/// </summary>
internal sealed class LocalRedisServer : IAsyncDisposable
{
    private readonly Process? _process;

    private LocalRedisServer(string endpoint, Process? process) => (Endpoint, _process) = (endpoint, process);

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The server named by <c>FLEET_REDIS</c>, or a new one.</summary>
    public static async Task<LocalRedisServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("FLEET_REDIS") is { Length: > 0 } given)
        {
            return new LocalRedisServer(given, null);
        }

        var port = LoopbackPort.Free();
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("These tests pause a redis-server: install one (apt-get install -y redis-server) or name one in FLEET_REDIS.", e);
        }

        var server = new LocalRedisServer(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"), process);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port} within 10 s.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
