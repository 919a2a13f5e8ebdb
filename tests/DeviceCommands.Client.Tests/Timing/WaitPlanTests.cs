using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>
/// A wait's deadline maths as pure functions, no clock and no HTTP: a wait started at T0 with a 10 s timeout keeps
/// 1 s for its last poll, so no poll is sent after T0 + 9 s.
/// </summary>
public sealed class WaitPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WaitPlan Plan = PlanFor(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(10_000, 1_000)]
    [InlineData(3_600_000, 1_000)]
    [InlineData(5_000, 500)]
    [InlineData(100, 10)]
    [InlineData(5, 1)]
    public void The_final_poll_margin_is_a_tenth_of_the_timeout_between_1_ms_and_1_s(int timeoutMs, int marginMs)
    {
        var plan = PlanFor(TimeSpan.FromMilliseconds(timeoutMs));

        Assert.Equal(TimeSpan.FromMilliseconds(marginMs), plan.FinalPollMargin);
        Assert.Equal(plan.Deadline - TimeSpan.FromMilliseconds(marginMs), plan.LastPollAt);
    }

    [Fact]
    public void A_wait_without_a_deadline_keeps_no_margin_and_always_has_a_poll_left()
    {
        var plan = PlanFor(null);

        Assert.Equal(TimeSpan.Zero, plan.FinalPollMargin);
        Assert.Null(plan.LastPollAt);
        Assert.False(plan.NoPollLeftAt(DateTimeOffset.MaxValue));
        Assert.False(plan.IsOver(DateTimeOffset.MaxValue));
        Assert.Equal(DateTimeOffset.MaxValue, plan.NextPollAt(1, T0, TimeSpan.MaxValue, callbacks: false));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(8_999, false)]
    [InlineData(9_000, false)]
    [InlineData(9_001, true)]
    [InlineData(10_000, true)]
    public void No_poll_is_left_after_the_last_poll_time(int atMs, bool noneLeft) =>
        Assert.Equal(noneLeft, Plan.NoPollLeftAt(T0.AddMilliseconds(atMs)));

    [Theory]
    [InlineData(9_999, false)]
    [InlineData(10_000, true)]
    public void The_deadline_is_over_from_its_instant_on(int atMs, bool over) =>
        Assert.Equal(over, Plan.IsOver(T0.AddMilliseconds(atMs)));

    [Fact]
    public void A_scheduled_poll_well_before_the_deadline_is_the_backoff_after_now()
    {
        var now = T0.AddSeconds(1);

        Assert.Equal(now + Backoff.Wait(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 7), Plan.NextPollAt(1, now, null, callbacks: false));
    }

    [Theory]
    [InlineData(8_500)]
    [InlineData(8_999)]
    public void A_scheduled_poll_past_the_last_poll_time_is_moved_to_it(int nowMs) =>
        Assert.Equal(T0.AddSeconds(9), Plan.NextPollAt(1, T0.AddMilliseconds(nowMs), null, callbacks: false));

    [Theory]
    [InlineData(9_000)]
    [InlineData(9_500)]
    public void Once_the_last_poll_time_has_passed_the_next_poll_is_the_deadline(int nowMs)
    {
        var next = Plan.NextPollAt(3, T0.AddMilliseconds(nowMs), null, callbacks: false);

        Assert.Equal(T0.AddSeconds(10), next);
        Assert.True(Plan.NoPollLeftAt(next));
    }

    [Theory]
    [InlineData(2_000, 3_000, 5_000)]
    [InlineData(2_000, 7_000, 9_000)]
    [InlineData(2_000, 0, 2_100)]
    [InlineData(2_000, 40, 2_100)]
    public void A_retry_after_inside_the_wait_is_kept_exactly_but_never_under_100_ms(int nowMs, int hintMs, int expectedMs) =>
        Assert.Equal(T0.AddMilliseconds(expectedMs), Plan.NextPollAt(1, T0.AddMilliseconds(nowMs), TimeSpan.FromMilliseconds(hintMs), callbacks: false));

    [Theory]
    [InlineData(2_000, 7_001)]
    [InlineData(2_000, 20_000)]
    [InlineData(8_500, 600)]
    public void A_retry_after_past_the_last_poll_time_leaves_no_poll_and_sleeps_to_the_deadline(int nowMs, int hintMs)
    {
        var now = T0.AddMilliseconds(nowMs);
        var next = Plan.NextPollAt(1, now, TimeSpan.FromMilliseconds(hintMs), callbacks: false);

        Assert.Equal(T0.AddSeconds(10), next);
        Assert.True(Plan.NoPollLeftAt(next));
        Assert.Equal(T0.AddSeconds(10) - now, Plan.SleepBefore(next, now));
    }

    [Fact]
    public void With_callbacks_on_the_fallback_schedule_is_ten_times_slower()
    {
        var plan = PlanFor(null);

        Assert.Equal(Backoff.Wait(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), 7), plan.ScheduledDelay(1, callbacks: true));
        Assert.Equal(Backoff.Wait(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 7), plan.ScheduledDelay(1, callbacks: false));
        Assert.InRange(plan.ScheduledDelay(1, callbacks: true), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.InRange(plan.ScheduledDelay(100, callbacks: true), TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(300));
        Assert.Equal(T0 + plan.ScheduledDelay(2, callbacks: true), plan.NextPollAt(2, T0, null, callbacks: true));
    }

    [Fact]
    public void The_fallback_factor_saturates_rather_than_overflowing()
    {
        Assert.Equal(TimeSpan.MaxValue, WaitPlan.Slowed(TimeSpan.MaxValue / 2, callbacks: true));
        Assert.Equal(TimeSpan.MaxValue / 2, WaitPlan.Slowed(TimeSpan.MaxValue / 2, callbacks: false));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(8_999, 8_999)]
    [InlineData(9_000, 9_000)]
    [InlineData(9_001, 9_001)]
    [InlineData(9_999, 9_999)]
    [InlineData(10_000, null)]
    [InlineData(11_000, null)]
    public void A_callback_asks_for_a_poll_now_until_the_deadline_has_come(int nowMs, int? expectedMs) =>
        Assert.Equal(expectedMs is { } ms ? T0.AddMilliseconds(ms) : null, Plan.PollOnCallbackAt(T0.AddMilliseconds(nowMs)));

    [Fact]
    public void The_sleep_goes_to_the_next_poll_in_whole_milliseconds_and_is_zero_once_due()
    {
        Assert.Equal(TimeSpan.Zero, Plan.SleepBefore(null, T0));
        Assert.Equal(TimeSpan.FromMilliseconds(2), Plan.SleepBefore(T0.AddMilliseconds(1.5), T0));
        Assert.Equal(TimeSpan.Zero, Plan.SleepBefore(T0.AddSeconds(1), T0.AddSeconds(2)));
        Assert.Equal(TimeSpan.FromDays(30), PlanFor(null).SleepBefore(T0.AddDays(400), T0));
    }

    private static WaitPlan PlanFor(TimeSpan? timeout) =>
        new(T0, timeout is { } t ? T0 + t : null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), JitterSeed: 7);
}
