using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace DeviceCommands.Samples.Fleet;

/// <summary>When, in a run, the store is paused.</summary>
public enum FleetPhase
{
    /// <summary>Right after the first wait is started: the starts run into the stall.</summary>
    Starts,

    /// <summary>Once every wait is started: the polls, the outcomes and the driver's waiting run into it.</summary>
    Outcomes,
}

/// <summary>
/// A stall of the store: the redis-server process is stopped (SIGSTOP) for <paramref name="Duration"/>, then continued
/// (SIGCONT). Its connections stay open and every call waits, as in a long garbage collection, a swap storm or a stuck
/// disk. Only a redis-server on this machine can be paused (found by its <c>INFO server</c> <c>process_id</c>).
/// </summary>
/// <param name="Phase">When.</param>
/// <param name="Duration">For how long (at most 30 s is what the fleet promises to ride out).</param>
public sealed record StorePause(FleetPhase Phase, TimeSpan Duration)
{
    /// <summary>Reads <c>starts:8</c> or <c>outcomes:15</c> (seconds).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The pause.</returns>
    /// <exception cref="ArgumentException">The text is not <c>phase:seconds</c>.</exception>
    public static StorePause Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        return parts.Length == 2 && Enum.TryParse<FleetPhase>(parts[0], ignoreCase: true, out var phase) && Enum.IsDefined(phase)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 120
            ? new StorePause(phase, TimeSpan.FromSeconds(seconds))
            : throw new ArgumentException($"--pause-redis takes starts:<seconds> or outcomes:<seconds> (1 to 120), not '{text}'.");
    }

    /// <summary>The process id of the redis-server at <paramref name="endpoint"/>, asked before any pause.</summary>
    /// <param name="endpoint">Its <c>host:port</c>.</param>
    /// <returns>Its process id.</returns>
    /// <exception cref="InvalidOperationException">It does not say (Garnet embedded does not run as its own process).</exception>
    public static async Task<int> ProcessIdOfAsync(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);

        // INFO is an admin command to StackExchange.Redis: asked on a connection of its own that allows it
        var options = FleetSilo.Store(endpoint);
        options.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var info = await server.InfoAsync("server");
        var pid = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "process_id").Value;
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != Environment.ProcessId
            ? id
            : throw new InvalidOperationException("The store cannot be paused: it is not a redis-server process of its own on this machine (give --redis).");
    }

    /// <summary>Stops the process for <see cref="Duration"/>, then continues it, even when <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="processId">The redis-server's process id.</param>
    /// <param name="cancellationToken">Ends the pause early.</param>
    /// <returns>A task that completes once the store runs again.</returns>
    public async Task RunAsync(int processId, CancellationToken cancellationToken)
    {
        await SignalAsync("-STOP", processId);
        try
        {
            await Task.Delay(Duration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await SignalAsync("-CONT", processId);
        }
    }

    private static async Task SignalAsync(string signal, int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, processId.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill could not be started.");
        await kill.WaitForExitAsync(CancellationToken.None);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {processId} failed (exit {kill.ExitCode}).");
        }
    }
}
