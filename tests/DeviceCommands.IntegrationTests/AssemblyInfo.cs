// A 2-core machine: two test classes at a time at most. The load tests (1,000 pollers, 2,000 clients, 100 chaotic
// sends, memory measured) are a collection of their own (LoadTests) that runs alone, so their load never eats another
// test's deadline; the timing tests' upper bounds allow for how late a loaded machine ran its timers (StallProbe).
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
