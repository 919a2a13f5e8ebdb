using System.Diagnostics;
using System.Globalization;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// A silo in its own process, started from this same program (<c>Fleet.dll silo ...</c>). Its output goes to a log
/// file; closing its standard input stops it cleanly; <see cref="Kill"/> ends it without warning.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, int siloPort, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        SiloPort = siloPort;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>The silo's name.</summary>
    public string Name { get; }

    /// <summary>The port silos talk to it on (its Orleans silo address's port).</summary>
    public int SiloPort { get; }

    /// <summary>The file that holds what the silo wrote.</summary>
    public string LogPath { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether it was killed.</summary>
    public bool Killed { get; private set; }

    /// <summary>Starts a silo; <see cref="WaitReadyAsync"/> waits until it has joined.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="redis">The store's <c>host:port</c>.</param>
    /// <param name="run">The run's id (cluster and service id).</param>
    /// <param name="serviceUrl">The device-command service's base URL.</param>
    /// <param name="logDirectory">Where its log file goes.</param>
    /// <param name="callbackPort">The cluster's shared postback port; null runs the silo's waits on polling alone.</param>
    /// <returns>The process.</returns>
    public static SiloProcess Start(string name, string redis, string run, Uri serviceUrl, string logDirectory, int? callbackPort)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // this program (its runtimeconfig and deps.json are copied beside it, also into a project that references it)
        var assembly = typeof(SiloProcess).Assembly.Location;
        start.ArgumentList.Add(assembly);
        var siloPort = EmbeddedStore.FreePort();
        foreach (var arg in new[]
        {
            "silo", "--name", name, "--redis", redis, "--run", run, "--base-url", serviceUrl.AbsoluteUri,
            "--silo-port", siloPort.ToString(CultureInfo.InvariantCulture),
            "--gateway-port", EmbeddedStore.FreePort().ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (callbackPort is { } port)
        {
            start.ArgumentList.Add("--callback-port");
            start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, siloPort, process, log, logPath);
        process.OutputDataReceived += (_, e) => silo.Take(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Take(e.Data);
        process.Exited += (_, _) => silo._ready.TrySetException(new InvalidOperationException($"{name} exited before it was ready; see {logPath}."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until the silo has joined the cluster.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>A task that completes when it is ready.</returns>
    public Task WaitReadyAsync(TimeSpan timeout) => _ready.Task.WaitAsync(timeout);

    /// <summary>Ends the process at once (SIGKILL): no grain deactivates, no state is written, no socket is closed politely.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
    }

    /// <summary>Stops the silo cleanly (closes its standard input), or kills it after 15 s.</summary>
    /// <returns>A task that completes when the process has ended.</returns>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _process.StandardInput.Close();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    /// <summary>The .NET host running this process: <c>dotnet</c>, wherever it is.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private void Take(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        if (line.StartsWith("ready ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
