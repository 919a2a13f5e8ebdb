// The load, chaos and timing tests here measure real time on a 2-core machine: run the classes one after another,
// so that one test's 1,000 pollers do not eat another's deadlines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
