namespace DeviceCommands.Fleet.Tests;

/// <summary>
/// The tests that run hundreds of waits on a cluster of 3 silos and bound each wait's time: one after the other, so
/// that one run's load never eats another's bounds. The other classes (a single wait, the store, the command line) are
/// light and run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterRuns
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fleet runs of hundreds of waits";
}
