// A 2-core machine: at most two test classes at a time. The runs of hundreds of waits share one collection
// (ClusterRuns), one after the other; the lighter classes (one wait, the store, the command line) run beside them.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
