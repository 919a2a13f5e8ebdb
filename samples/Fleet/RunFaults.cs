using System.Collections.Concurrent;
using System.Globalization;

namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// The faults a run plans, set off by the driver as it goes: silos killed halfway through the starts, a few seconds
/// apart, and a pause of the store during the starts or the outcomes. They run beside the driver, which never waits
/// for them, and <see cref="EndAsync"/> makes sure they are over (a paused store is always continued).
/// </summary>
internal sealed class RunFaults(FleetCluster cluster, FleetOptions options, TextWriter log)
{
    private readonly ConcurrentQueue<(string Silo, DateTimeOffset At)> _killed = new();
    private readonly List<Task> _running = [];
    private int _storeProcess;

    /// <summary>The silos killed, in order.</summary>
    public IReadOnlyList<(string Silo, DateTimeOffset At)> Killed => [.. _killed];

    /// <summary>When the store was paused, and for how long.</summary>
    public (DateTimeOffset At, TimeSpan For)? Paused { get; private set; }

    /// <summary>Checks, before the first start, that what is planned can be done: the store's process is found.</summary>
    public async Task PrepareAsync()
    {
        if (options.KillSilos >= cluster.Silos.Count)
        {
            throw new InvalidOperationException($"--kill-silos {options.KillSilos} would leave no silo of {cluster.Silos.Count}.");
        }

        if (options.PauseStore is not null)
        {
            _storeProcess = await StorePause.ProcessIdOfAsync(cluster.Redis);
        }
    }

    /// <summary>Pauses the store now when it is planned for <paramref name="phase"/>.</summary>
    public void At(FleetPhase phase, CancellationToken cancellationToken)
    {
        if (options.PauseStore is { } pause && pause.Phase == phase)
        {
            Paused = (DateTimeOffset.UtcNow, pause.Duration);
            _running.Add(Task.Run(async () =>
            {
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"redis-server (process {_storeProcess}) paused for {pause.Duration.TotalSeconds:0} s, during the {phase.ToString().ToLowerInvariant()}"));
                await pause.RunAsync(_storeProcess, cancellationToken);
                await log.WriteLineAsync("redis-server continued");
            }, CancellationToken.None));
        }
    }

    /// <summary>Kills the planned silos, the last ones started first, <see cref="FleetOptions.KillSpacing"/> apart.</summary>
    public void KillHalfway(int starts, DateTimeOffset firstStart, CancellationToken cancellationToken)
    {
        if (options.KillSilos == 0)
        {
            return;
        }

        _running.Add(Task.Run(async () =>
        {
            for (var k = 0; k < options.KillSilos; k++)
            {
                if (k > 0)
                {
                    await Task.Delay(options.KillSpacing, cancellationToken);
                }

                var silo = cluster.Silos[cluster.Silos.Count - 1 - k];
                silo.Kill();
                _killed.Enqueue((silo.Name, DateTimeOffset.UtcNow));
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"killed {silo.Name} (process {silo.ProcessId}) after {starts} starts, {(DateTimeOffset.UtcNow - firstStart).TotalSeconds:0.0} s in"));
            }
        }, CancellationToken.None));
    }

    /// <summary>Waits until every planned fault is over.</summary>
    public Task EndAsync() => Task.WhenAll(_running);
}
