namespace DeviceCommands.IntegrationTests;

/// <summary>
/// The tests that load the machine (a thousand pollers, two thousand clients, a hundred chaotic sends) or measure this
/// process's memory: xunit runs this collection alone, after the others, which run two classes at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Load tests, run alone";
}
