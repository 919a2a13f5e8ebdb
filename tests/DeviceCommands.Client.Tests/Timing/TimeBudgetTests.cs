using DeviceCommands.Client.Timing;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>
/// The time budget's edges, none of which waits on a timer: spent, unbounded, or the caller's; and the pool of sources
/// an attempt's budget comes from (<see cref="BudgetSources"/>).
/// </summary>
public sealed class TimeBudgetTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1_000)]
    public void No_time_left_is_a_spent_budget(int ms)
    {
        using var budget = TimeBudget.For(TimeSpan.FromMilliseconds(ms), TimeProvider.System, CancellationToken.None);

        Assert.True(budget.Token.IsCancellationRequested);
        Assert.True(budget.IsSpent);
    }

    [Fact]
    public void A_deadline_in_the_past_is_a_spent_budget()
    {
        using var budget = TimeBudget.Until(TimeProvider.System.GetUtcNow().AddSeconds(-1), TimeProvider.System, CancellationToken.None);

        Assert.True(budget.IsSpent);
    }

    [Fact]
    public void Without_an_end_the_budget_is_the_callers_token()
    {
        using var caller = new CancellationTokenSource();
        using var none = TimeBudget.Until(null, TimeProvider.System, caller.Token);
        using var infinite = TimeBudget.For(Timeout.InfiniteTimeSpan, TimeProvider.System, caller.Token);
        using var max = TimeBudget.For(TimeSpan.MaxValue, TimeProvider.System, caller.Token);

        Assert.Equal(caller.Token, none.Token);
        Assert.Equal(caller.Token, infinite.Token);
        Assert.Equal(caller.Token, max.Token);
    }

    [Theory]
    [InlineData(3_600)]
    [InlineData(100_000_000)]
    public void The_callers_cancellation_ends_a_budget_without_spending_it(int seconds)
    {
        using var caller = new CancellationTokenSource();
        using var budget = TimeBudget.For(TimeSpan.FromSeconds(seconds), TimeProvider.System, caller.Token);
        Assert.False(budget.Token.IsCancellationRequested);

        caller.Cancel();

        Assert.True(budget.Token.IsCancellationRequested);
        Assert.False(budget.IsSpent);
    }

    [Fact]
    public void On_the_system_clock_a_budget_reuses_the_source_of_one_that_ended_in_time()
    {
        var sources = new BudgetSources(TimeProvider.System);
        CancellationToken first;
        using (var budget = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None))
        {
            first = budget.Token;
        }

        using var again = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None);

        Assert.Equal(first, again.Token);
        Assert.False(again.Token.IsCancellationRequested);
    }

    [Fact]
    public void On_another_clock_each_budget_has_a_source_of_its_own_that_runs_on_that_clock()
    {
        var clock = new VirtualClock();
        var sources = new BudgetSources(clock);
        CancellationToken first;
        using (var budget = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None))
        {
            first = budget.Token;
        }

        using var again = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None);
        Assert.NotEqual(first, again.Token);

        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(again.IsSpent);
    }

    [Fact]
    public void A_reused_source_still_ends_with_the_callers_token_and_is_not_lent_again_once_cancelled()
    {
        var sources = new BudgetSources(TimeProvider.System);
        CancellationToken first;
        using (var budget = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None))
        {
            first = budget.Token;
        }

        using var caller = new CancellationTokenSource();
        var reused = TimeBudget.For(TimeSpan.FromSeconds(30), sources, caller.Token);
        Assert.Equal(first, reused.Token);

        caller.Cancel();
        Assert.True(reused.Token.IsCancellationRequested);
        Assert.False(reused.IsSpent);
        reused.Dispose();

        using var next = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None);
        Assert.NotEqual(first, next.Token);
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_source_whose_time_ran_out_is_not_lent_again()
    {
        var sources = new BudgetSources(TimeProvider.System);
        CancellationToken spent;
        using (var budget = TimeBudget.For(TimeSpan.FromMilliseconds(1), sources, CancellationToken.None))
        {
            spent = budget.Token;
            var ended = new TaskCompletionSource();
            using (budget.Token.Register(ended.SetResult))
            {
                await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.True(budget.IsSpent);
        }

        using var next = TimeBudget.For(TimeSpan.FromSeconds(30), sources, CancellationToken.None);

        Assert.NotEqual(spent, next.Token);
        Assert.False(next.Token.IsCancellationRequested);
    }
}
