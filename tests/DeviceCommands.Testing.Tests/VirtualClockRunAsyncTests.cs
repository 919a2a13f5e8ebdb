namespace DeviceCommands.Testing.Tests;

/// <summary>The driver of RunAsync: it moves the clock only while the work waits on its timers, and reports a stall.</summary>
public sealed class VirtualClockRunAsyncTests
{
    private static readonly DateTimeOffset Start = VirtualClock.DefaultStart;

    [Fact]
    public async Task RunAsync_completes_ten_one_hour_delays_with_the_clock_exactly_ten_hours_later()
    {
        var clock = new VirtualClock();
        var times = new List<DateTimeOffset>();

        await clock.RunAsync(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(TimeSpan.FromHours(1), clock);
                times.Add(clock.GetUtcNow());
            }
        });

        Assert.Equal(Start.AddHours(10), clock.GetUtcNow());
        Assert.Equal(Enumerable.Range(1, 10).Select(h => Start.AddHours(h)), times);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task RunAsync_returns_the_works_result_and_its_exception()
    {
        var clock = new VirtualClock();

        var result = await clock.RunAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock);
            return clock.GetUtcNow();
        });
        var error = await Assert.ThrowsAsync<FormatException>(() => clock.RunAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock);
            throw new FormatException("from the work");
        }));

        Assert.Equal(Start.AddMinutes(1), result);
        Assert.Equal("from the work", error.Message);
    }

    [Fact]
    public async Task A_CancellationTokenSource_on_the_clock_cancels_at_its_virtual_time()
    {
        var clock = new VirtualClock();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5), clock);
        DateTimeOffset? cancelledAt = null;
        using var registration = cts.Token.Register(() => cancelledAt = clock.GetUtcNow());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clock.RunAsync(() => Task.Delay(Timeout.Infinite, cts.Token)));

        Assert.Equal(Start.AddMinutes(5), cancelledAt);
        Assert.Equal(Start.AddMinutes(5), clock.GetUtcNow());
    }


    [Fact]
    public async Task RunAsync_reports_a_stall_when_the_work_waits_on_something_other_than_the_clock()
    {
        var clock = new VirtualClock { StallLimit = TimeSpan.FromMilliseconds(200) };
        var never = new TaskCompletionSource();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => clock.RunAsync(() => never.Task));

        Assert.Contains("neither this clock's timers nor work marked with BeginWork", error.Message, StringComparison.Ordinal);
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task The_same_wait_run_twice_gives_the_same_times()
    {
        var first = await RunWaitAsync();
        var second = await RunWaitAsync();

        Assert.Equal(first, second);
        Assert.True(first.Count > 20, $"{first.Count} polls");
        Assert.True(first.Select(p => p.Poller).Distinct().Count() == 3, "the three pollers interleave");
    }

    /// <summary>Three pollers at once, each sleeping a seeded jittered delay between polls until its own deadline.</summary>
    private static async Task<List<(int Poller, TimeSpan At)>> RunWaitAsync()
    {
        var clock = new VirtualClock();
        var polls = new List<(int Poller, TimeSpan At)>();
        await clock.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 3).Select(async poller =>
        {
            var random = new Random(poller);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2 + poller), clock);
            try
            {
                for (var poll = 1; ; poll++)
                {
                    lock (polls)
                    {
                        polls.Add((poller, clock.GetUtcNow() - Start));
                    }

                    var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(1.5, poll)) * (0.8 + (0.4 * random.NextDouble())));
                    await Task.Delay(delay, clock, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // the poller's deadline
            }
        })));

        Assert.Equal(Start.AddMinutes(4), clock.GetUtcNow());
        return polls;
    }

    [Fact]
    public async Task RunAsync_reports_a_stall_when_only_a_periodic_timer_ticks_instead_of_spinning_for_ever()
    {
        var clock = new VirtualClock { StallLimit = TimeSpan.FromMilliseconds(200) };
        int ticks = 0;
        using ITimer heartbeat = clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        TaskCompletionSource never = new();

        Task run = clock.RunAsync(() => never.Task);
        Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(run, first);
        InvalidOperationException stall = await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Contains("periodic", stall.Message, StringComparison.Ordinal);
        Assert.True(ticks > 0);
    }

    [Fact]
    public async Task RunAsync_sees_and_fires_a_timer_made_on_another_thread_while_the_work_waits()
    {
        var clock = new VirtualClock();
        DateTimeOffset start = clock.GetUtcNow();

        await clock.RunAsync(async () =>
        {
            await Task.Run(async () =>
            {
                await Task.Yield();
                await Task.Delay(TimeSpan.FromHours(3), clock).ConfigureAwait(false);
            }).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMinutes(1), clock).ConfigureAwait(false);
        });

        Assert.Equal(start.AddHours(3).AddMinutes(1), clock.GetUtcNow());
    }

    [Fact]
    public async Task RunAsync_fires_a_periodic_timer_that_stops_itself_exactly_its_ticks_at_their_times()
    {
        var clock = new VirtualClock();
        DateTimeOffset start = clock.GetUtcNow();
        List<DateTimeOffset> fired = [];
        TaskCompletionSource done = new();
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            fired.Add(clock.GetUtcNow());
            if (fired.Count == 4)
            {
                timer!.Dispose();
                done.TrySetResult();
            }
        }, null, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));

        await clock.RunAsync(() => done.Task);

        Assert.Equal([start.AddMinutes(5), start.AddMinutes(15), start.AddMinutes(25), start.AddMinutes(35)], fired);
        Assert.Equal(0, clock.PendingTimers);
    }
}
