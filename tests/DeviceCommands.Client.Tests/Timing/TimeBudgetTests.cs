using DeviceCommands.Client.Timing;

namespace DeviceCommands.Client.Tests.Timing;

/// <summary>The time budget's edges, none of which waits on a timer: spent, unbounded, or the caller's.</summary>
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
}
