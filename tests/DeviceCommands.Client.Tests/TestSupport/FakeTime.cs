using Microsoft.Extensions.Time.Testing;

namespace DeviceCommands.Client.Tests.TestSupport;

internal static class FakeTime
{
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };

    /// <summary>
    /// Moves fake time forward in small steps until the task completes (bounded, so a bug fails the test instead of
    /// hanging it). Nothing sleeps: each step only yields so that continuations can run.
    /// </summary>
    public static async Task<T> Drive<T>(this FakeTimeProvider clock, Task<T> task, TimeSpan? step = null, int maxSteps = 20_000)
    {
        var by = step ?? TimeSpan.FromMilliseconds(100);
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Task.Yield();
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
