using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Waiting;

public sealed class CommandWaitOptionsTests
{
    [Fact]
    public void Defaults_match_the_contract()
    {
        var options = new CommandWaitOptions();
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Timeout);
        Assert.Null(options.IsTerminal);
        Assert.Null(options.IsTerminalCommand);
        Assert.Null(options.Progress);
        Assert.Null(options.TimeProvider);
        Assert.Null(options.JitterSeed);
        Assert.Null(options.Checkpoint);
        options.Validate();
    }

    [Fact]
    public void A_null_timeout_is_valid()
    {
        new CommandWaitOptions { Timeout = null }.Validate();
    }

    [Fact]
    public void MaxDelay_may_equal_InitialDelay()
    {
        new CommandWaitOptions { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5) }.Validate();
    }

    [Theory]
    [InlineData(0, 30, 600)]
    [InlineData(-1, 30, 600)]
    [InlineData(10, 5, 600)]
    [InlineData(1, 30, 0)]
    [InlineData(1, 30, -3)]
    public void Out_of_range_values_throw_ArgumentException(int initial, int max, int timeout)
    {
        var options = new CommandWaitOptions
        {
            InitialDelay = TimeSpan.FromSeconds(initial),
            MaxDelay = TimeSpan.FromSeconds(max),
            Timeout = TimeSpan.FromSeconds(timeout),
        };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Theory]
    [InlineData(ActionStatus.Completed, true)]
    [InlineData(ActionStatus.Expired, true)]
    [InlineData(ActionStatus.Error, true)]
    [InlineData(ActionStatus.Executing, false)]
    [InlineData(ActionStatus.Custom, false)]
    [InlineData(ActionStatus.Cancelling, false)]
    public void By_default_only_terminal_statuses_end_a_wait(ActionStatus status, bool ends) =>
        Assert.Equal(ends, new CommandWaitOptions().Ends(new Command { Status = status }));

    [Fact]
    public void An_unknown_status_ends_a_wait_only_through_IsTerminalCommand()
    {
        var unknown = new Command { RawStatus = "delivered" };
        Assert.False(new CommandWaitOptions().Ends(unknown));
        Assert.False(new CommandWaitOptions { IsTerminal = _ => true }.Ends(unknown));
        Assert.True(new CommandWaitOptions { IsTerminalCommand = c => c.RawStatus == "delivered" }.Ends(unknown));
    }

    [Fact]
    public void IsTerminal_replaces_the_default_for_known_statuses()
    {
        var options = new CommandWaitOptions { IsTerminal = s => s == ActionStatus.Executing };
        Assert.True(options.Ends(new Command { Status = ActionStatus.Executing }));
        Assert.False(options.Ends(new Command { Status = ActionStatus.Completed }));
    }
}
