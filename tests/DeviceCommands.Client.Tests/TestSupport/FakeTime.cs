using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace DeviceCommands.Client.Tests.TestSupport;

internal static class FakeTime
{
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };

    /// <summary>
    /// Moves fake time forward in small steps until the task completes. Before each step it lets the work already
    /// queued on the thread pool run (a round trip through the pool, not a sleep), so that a continuation that left
    /// the test's thread registers its next timer before time moves on. Bounded, so a bug fails the test instead of
    /// hanging it.
    /// </summary>
    public static async Task<T> Drive<T>(this FakeTimeProvider clock, Task<T> task, TimeSpan? step = null, int maxSteps = 20_000)
    {
        var by = step ?? TimeSpan.FromMilliseconds(100);
        var budget = Stopwatch.StartNew();
        for (var i = 0; i < maxSteps && !task.IsCompleted && budget.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            await Task.Yield();
            await Task.Run(static () => { }).ConfigureAwait(true);
            if (!task.IsCompleted)
            {
                clock.Advance(by);
            }
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public static async Task Drive(this FakeTimeProvider clock, Task task, TimeSpan? step = null, int maxSteps = 20_000) =>
        await clock.Drive(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return 0; }, TaskScheduler.Default), step, maxSteps);
}
