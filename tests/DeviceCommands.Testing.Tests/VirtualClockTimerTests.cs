namespace DeviceCommands.Testing.Tests;

/// <summary>The clock's timers moved by hand: due order, periods, changes, disposal, timestamps.</summary>
public sealed class VirtualClockTimerTests
{
    private static readonly DateTimeOffset Start = VirtualClock.DefaultStart;

    [Fact]
    public void A_new_clock_starts_at_the_default_start_or_the_given_instant()
    {
        var given = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new VirtualClock().GetUtcNow());
        Assert.Equal(given, new VirtualClock(given).GetUtcNow());
        Assert.Equal(TimeSpan.Zero, new VirtualClock(given).GetUtcNow().Offset);
        Assert.Null(new VirtualClock().NextTimerDue);
    }

    [Fact]
    public void An_advance_past_the_end_of_the_calendar_is_refused_and_moves_nothing()
    {
        var clock = new VirtualClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.MaxValue));

        Assert.Equal("delta", e.ParamName);
        Assert.StartsWith("The clock cannot move past DateTimeOffset.MaxValue: it is at 2026-01-01T00:00:00.0000000+00:00, so it can move by at most ", e.Message, StringComparison.Ordinal);
        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(0, fired);
    }

    [Fact]
    public void An_advance_to_the_end_of_the_calendar_exactly_fires_every_timer_on_the_way()
    {
        var clock = new VirtualClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromDays(365), Timeout.InfiniteTimeSpan);

        clock.Advance(DateTimeOffset.MaxValue - Start);

        Assert.Equal(DateTimeOffset.MaxValue, clock.GetUtcNow());
        Assert.Equal(1, fired);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(1)));
        clock.Advance(TimeSpan.Zero);
    }

    [Fact]
    public void Timers_fire_in_due_order_each_at_its_own_due_time()
    {
        var clock = new VirtualClock();
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow())), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.GetUtcNow())), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var middle = clock.CreateTimer(_ => fired.Add(("middle", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        Assert.Equal(3, clock.PendingTimers);
        Assert.Equal(Start.AddSeconds(1), clock.NextTimerDue);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([("early", Start.AddSeconds(1)), ("middle", Start.AddSeconds(2)), ("late", Start.AddSeconds(3))], fired);
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
        Assert.Equal(0, clock.PendingTimers);
        Assert.Null(clock.NextTimerDue);
    }

    [Fact]
    public void A_timer_due_after_the_advance_does_not_fire_and_zero_fires_the_timers_already_due()
    {
        var clock = new VirtualClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var now = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromMilliseconds(1999));

        Assert.Equal([Start], fired);
        Assert.Equal(1, clock.PendingTimers);

        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([Start, Start.AddSeconds(2)], fired);
    }

    [Fact]
    public void Timers_due_at_the_same_time_fire_in_the_order_they_were_made()
    {
        var clock = new VirtualClock();
        var fired = new List<string>();
        var timers = new[] { "first", "second", "third", "fourth" }
            .Select(name => clock.CreateTimer(_ => fired.Add(name), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan))
            .ToList();

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["first", "second", "third", "fourth"], fired);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_period_at_each_of_its_times_and_stays_pending()
    {
        var clock = new VirtualClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(5)], fired);
        Assert.Equal(1, clock.PendingTimers);
        Assert.Equal(Start.AddSeconds(7), clock.NextTimerDue);
    }

    [Fact]
    public void Change_moves_a_timer_from_now_and_an_infinite_due_time_stops_it()
    {
        var clock = new VirtualClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(timer.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        Assert.Equal(Start.AddSeconds(3), clock.NextTimerDue);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([Start.AddSeconds(3)], fired);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, clock.PendingTimers);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(fired);
    }

    [Fact]
    public async Task A_disposed_timer_never_fires_and_Change_after_Dispose_returns_false()
    {
        var clock = new VirtualClock();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var other = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        await other.DisposeAsync();
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.PendingTimers);
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.False(other.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public void A_negative_advance_throws_and_leaves_the_clock_where_it_was()
    {
        var clock = new VirtualClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));

        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void Timestamps_follow_the_clock()
    {
        var clock = new VirtualClock();
        var before = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(TimeSpan.FromMinutes(3), clock.GetElapsedTime(before));
    }


    [Fact]
    public void A_CancellationTokenSource_on_the_clock_moved_by_hand_cancels_neither_early_nor_late()
    {
        var clock = new VirtualClock();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), clock);

        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.False(cts.IsCancellationRequested);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(cts.IsCancellationRequested);
    }
}
