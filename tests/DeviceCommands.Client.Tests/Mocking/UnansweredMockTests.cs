using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;
using Moq;
using NSubstitute;
using DeviceCommands.Testing;
using static DeviceCommands.Client.Tests.Mocking.Mocked;

namespace DeviceCommands.Client.Tests.Mocking;

/// <summary>
/// A mock set up "the natural way" (for the call without arguments) answers the wait's own call with null: the wait
/// ends at once with an <see cref="ApiException"/> that says no command came back, instead of polling until its deadline.
/// </summary>
public sealed class UnansweredMockTests
{
    private readonly VirtualClock _clock = new();

    [Fact]
    public async Task A_substitute_set_up_without_Arg_Any_ends_the_wait_at_the_first_poll()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();
        command.GetAsync().Returns(At(ActionStatus.Completed));
        var start = _clock.GetUtcNow();

        var error = await Assert.ThrowsAsync<ApiException>(() => _clock.RunAsync(() => command.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock })));

        Assert.Contains("returned no command", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("''", error.Message, StringComparison.Ordinal);
        Assert.Equal(start, _clock.GetUtcNow());
        await command.ReceivedWithAnyArgs(1).GetAsync();
    }

    [Fact]
    public async Task A_Moq_mock_set_up_for_the_call_without_arguments_ends_the_wait_at_the_first_poll()
    {
        var command = new Mock<CommandItemRequestBuilder>();
        command.Setup(c => c.GetAsync(null, default)).ReturnsAsync(At(ActionStatus.Completed));

        var error = await Assert.ThrowsAsync<ApiException>(() => _clock.RunAsync(() => command.Object.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock })));

        Assert.Contains("returned no command", error.Message, StringComparison.Ordinal);
        command.Verify(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Watching_a_substitute_that_answers_nothing_ends_with_the_same_error()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();

        var error = await Assert.ThrowsAsync<ApiException>(() => _clock.RunAsync(() => command.WatchAsync(new CommandWaitOptions { TimeProvider = _clock }).ToListAsync().AsTask()));

        Assert.Contains("returned no command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAndWaitAsync_over_a_PostAsync_that_answers_nothing_ends_at_once_without_polling()
    {
        var commands = Substitute.For<CommandsRequestBuilder>();
        var launch = Command.LaunchUri(new Uri("https://bing.com"));
        commands.PostAsync(launch).Returns(At(ActionStatus.Requesting));

        var error = await Assert.ThrowsAsync<ApiException>(() => _clock.RunAsync(() => commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { TimeProvider = _clock })));

        Assert.Contains("no command id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("''", error.Message, StringComparison.Ordinal);
        _ = commands.DidNotReceiveWithAnyArgs()[CommandId];
    }

    [Fact]
    public void A_timeout_or_a_failure_of_a_command_without_an_id_never_shows_an_empty_id()
    {
        var timeout = new CommandWaitTimeoutException(new Command { Id = "" }, 3, CommandWaitTimeoutException.Describe(new Command { Id = "" }, "", 3), null);
        var failed = Assert.Throws<CommandFailedException>(() => new CommandWaitResult(new Command { Id = " ", Status = ActionStatus.Error }, ActionStatus.Error, 1, TimeSpan.Zero).EnsureSuccess());

        Assert.StartsWith("The command did not reach a terminal status", timeout.Message, StringComparison.Ordinal);
        Assert.StartsWith("The command ended with status 'error'", failed.Message, StringComparison.Ordinal);
    }
}
