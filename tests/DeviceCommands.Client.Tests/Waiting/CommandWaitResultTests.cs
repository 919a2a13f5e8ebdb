using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Waiting;

public sealed class CommandWaitResultTests
{
    [Fact]
    public void Exposes_what_it_was_given()
    {
        var command = new Command { Id = "c1", Status = ActionStatus.Completed };
        var result = new CommandWaitResult(command, ActionStatus.Completed, 4, TimeSpan.FromSeconds(9));

        Assert.Same(command, result.Command);
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.True(result.Succeeded);
        Assert.Equal(4, result.Polls);
        Assert.Equal(TimeSpan.FromSeconds(9), result.Elapsed);
        Assert.Same(result, result.EnsureSuccess());
    }

    [Theory]
    [InlineData(ActionStatus.FailedToSend)]
    [InlineData(ActionStatus.ExecutionFailed)]
    [InlineData(ActionStatus.Canceled)]
    [InlineData(ActionStatus.Custom)]
    public void EnsureSuccess_throws_for_any_other_status(ActionStatus status)
    {
        var command = new Command { Id = "c1", Status = status, Error = "device offline" };
        var result = new CommandWaitResult(command, status, 2, TimeSpan.Zero);

        Assert.False(result.Succeeded);
        var e = Assert.Throws<CommandFailedException>(result.EnsureSuccess);
        Assert.Same(command, e.Command);
        Assert.Contains("c1", e.Message, StringComparison.Ordinal);
        Assert.Contains(status.ToWireValue(), e.Message, StringComparison.Ordinal);
        Assert.Contains("device offline", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_constructor_checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => new CommandWaitResult(null!, ActionStatus.Completed, 0, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommandWaitResult(new Command(), ActionStatus.Completed, -1, TimeSpan.Zero));
    }
}

public sealed class CommandWaitExceptionTests
{
    [Fact]
    public void The_timeout_names_the_command_its_status_and_the_polls()
    {
        var command = new Command { Id = "c-42", RawStatus = "queuedForLater" };
        var e = new CommandWaitTimeoutException(command, 12);

        Assert.IsAssignableFrom<TimeoutException>(e);
        Assert.Same(command, e.LastObserved);
        Assert.Equal(12, e.Polls);
        Assert.Contains("c-42", e.Message, StringComparison.Ordinal);
        Assert.Contains("queuedForLater", e.Message, StringComparison.Ordinal);
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_timeout_without_an_observation_says_so()
    {
        var e = new CommandWaitTimeoutException(null, 3, "custom message");
        Assert.Null(e.LastObserved);
        Assert.Equal("custom message", e.Message);
        Assert.Contains("nothing was observed", new CommandWaitTimeoutException(null, 3).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_keeps_its_command()
    {
        var command = new Command { Id = "c1", Status = ActionStatus.Expired };
        var e = new CommandFailedException(command);
        Assert.Same(command, e.Command);
        Assert.Contains("expired", e.Message, StringComparison.Ordinal);
        Assert.Equal("mine", new CommandFailedException(command, "mine").Message);
        Assert.Throws<ArgumentNullException>(() => new CommandFailedException(null!));
    }

    [Theory]
    [InlineData("The device is offline.")]
    [InlineData("The device is offline")]
    public void The_failure_quotes_the_services_error_with_one_full_stop(string error)
    {
        var e = new CommandFailedException(new Command { Id = "c1", RawStatus = "failedToSend", Error = error });

        Assert.Equal("Command 'c1' ended with status 'failedToSend': The device is offline.", e.Message);
    }
}
