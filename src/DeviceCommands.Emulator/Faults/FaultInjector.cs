namespace DeviceCommands.Emulator.Faults;

/// <summary>A fault chosen for one request.</summary>
internal enum Fault
{
    None,
    Throttle,
    Unavailable,
}

/// <summary>
/// Chooses, from one seeded random sequence, whether a request is delayed and whether it fails. Every request
/// draws the same three numbers in the same order, so a run with the same seed and the same requests in the
/// same order gets the same faults.
/// </summary>
internal sealed class FaultInjector(EmulatorOptions options)
{
    private readonly Random _random = new(options.Seed);
    private readonly Lock _gate = new();

    public bool Enabled { get; } = options.ThrottleRate > 0 || options.UnavailableRate > 0 || options.LatencyRate > 0;

    public (bool Delay, Fault Fault) Next()
    {
        if (!Enabled)
        {
            return (false, Fault.None);
        }

        double delay, throttle, unavailable;
        lock (_gate)
        {
            delay = _random.NextDouble();
            throttle = _random.NextDouble();
            unavailable = _random.NextDouble();
        }

        Fault fault = throttle < options.ThrottleRate ? Fault.Throttle
            : unavailable < options.UnavailableRate ? Fault.Unavailable
            : Fault.None;
        return (delay < options.LatencyRate, fault);
    }
}
