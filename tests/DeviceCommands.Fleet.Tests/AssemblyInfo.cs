// Each test runs a cluster of silo processes on a 2-core machine: one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
