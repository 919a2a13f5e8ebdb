using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using FakeItEasy;
using Microsoft.Kiota.Abstractions;
using static DeviceCommands.Client.Tests.Mocking.Mocked;

namespace DeviceCommands.Client.Tests.Mocking;

/// <summary>The client and its builders faked with FakeItEasy (its fakes of class types are recursive too).</summary>
public sealed class FakeItEasyTests
{
    private readonly VirtualClock _clock = new();

    [Fact]
    public async Task A_command_at_the_end_of_a_faked_client_can_be_configured()
    {
        var client = A.Fake<DeviceCommandsClient>();
        A.CallTo(() => client.Me.Devices[DeviceId].Commands[CommandId].GetAsync(A<Action<RequestConfiguration<DefaultQueryParameters>>?>._, A<CancellationToken>._))
            .Returns(At(ActionStatus.Executing));

        var command = await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

        Assert.Equal(ActionStatus.Executing, command!.Status);
    }

    [Fact]
    public async Task SendAndWaitAsync_over_a_faked_builder_posts_once_and_polls_until_completed()
    {
        var item = A.Fake<CommandItemRequestBuilder>();
        A.CallTo(() => item.GetAsync(A<Action<RequestConfiguration<DefaultQueryParameters>>?>._, A<CancellationToken>._))
            .ReturnsNextFromSequence(At(ActionStatus.Executing), At(ActionStatus.Completed));
        var commands = A.Fake<CommandsRequestBuilder>();
        A.CallTo(() => commands.PostAsync(A<Command>._, A<Action<RequestConfiguration<DefaultQueryParameters>>?>._, A<CancellationToken>._))
            .Returns(At(ActionStatus.Requesting));
        A.CallTo(() => commands[CommandId]).Returns(item);

        var result = await _clock.RunAsync(() => commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 5 }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(2, result.Polls);
        A.CallTo(() => commands.PostAsync(A<Command>._, A<Action<RequestConfiguration<DefaultQueryParameters>>?>._, A<CancellationToken>._)).MustHaveHappenedOnceExactly();
    }
}
