using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;

namespace DeviceCommands.Client.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release -- [BenchmarkDotNet arguments]</c> runs the benchmarks (<c>--filter '*' --job Dry</c> in CI);
    /// <c>dotnet run -c Release -- size</c> prints the size report of the package instead;
    /// <c>dotnet run -c Release -- schedule [--out docs/wait-schedule.png]</c> compares wait schedules on a fake clock;
    /// <c>dotnet run -c Release -- manywaits</c> measures 10,000 concurrent waits;
    /// <c>dotnet run -c Release -- allocs [--n 2000]</c> prints the bytes one status GET allocates, stage by stage;
    /// <c>dotnet run -c Release -- coldstart [--runs 15] [--out path.md]</c> times the first read in fresh processes
    /// (each a <c>coldstart-child</c> of this executable).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        // the cold-start child's clock starts here: the first line of Main
        var started = Stopwatch.GetTimestamp();
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "coldstart-child")
        {
            return await ColdStartReport.ChildAsync(started, args[1..]);
        }

        if (args.Length > 0 && args[0] == "coldstart")
        {
            return await ColdStartReport.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "size")
        {
            return await SizeReport.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "schedule")
        {
            return await ScheduleReport.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "allocs")
        {
            return await AllocsReport.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "manywaits")
        {
            return await ManyWaitsReport.RunAsync(args[1..]);
        }

        return RunBenchmarks(args);
    }

    /// <summary>Apart from <see cref="Main"/>, so a cold-start child never loads BenchmarkDotNet to compile its Main.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunBenchmarks(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
