namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>
/// Tests that measure <see cref="GC.GetTotalAllocatedBytes(bool)"/>, which counts every thread of the process:
/// they run alone, after the parallel tests, so other tests' allocations do not land in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasured
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Allocation measured (runs alone)";
}
