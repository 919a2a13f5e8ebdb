using DeviceCommands.Client.Me;
using DeviceCommands.Client.Me.Devices;
using DeviceCommands.Client.Me.Devices.Item;
using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item.ResponsePayload;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;
using Moq;
using static DeviceCommands.Client.Tests.Mocking.Mocked;

namespace DeviceCommands.Client.Tests.Mocking;

/// <summary>The client and its builders mocked with Moq, at every depth of the chain, and the waits over the mocks.</summary>
public sealed class MoqTests
{
    private readonly VirtualClock _clock = new();

    [Fact]
    public async Task The_devices_can_be_mocked_through_the_client()
    {
        var devices = new Mock<DevicesRequestBuilder>();
        devices.Setup(d => d.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DeviceCollectionResponse { Value = [new Device { Id = DeviceId, Name = "Laptop" }] });
        var me = new Mock<MeRequestBuilder>();
        me.Setup(m => m.Devices).Returns(devices.Object);
        var client = new Mock<DeviceCommandsClient>();
        client.Setup(c => c.Me).Returns(me.Object);

        var answer = await client.Object.Me.Devices.GetAsync();

        Assert.Equal("Laptop", Assert.Single(answer!.Value!).Name);
        devices.Verify(d => d.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_command_can_be_mocked_at_the_end_of_the_chain_with_one_recursive_setup()
    {
        var client = new Mock<DeviceCommandsClient> { DefaultValue = DefaultValue.Mock };
        client.Setup(c => c.Me.Devices[DeviceId].Commands[CommandId].GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(At(ActionStatus.Executing));

        var command = await client.Object.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

        Assert.Equal(ActionStatus.Executing, command!.Status);
    }

    [Fact]
    public async Task Each_builder_of_the_chain_can_be_mocked_by_hand()
    {
        var item = new Mock<CommandItemRequestBuilder>();
        item.Setup(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>())).ReturnsAsync(At(ActionStatus.Completed));
        var commands = new Mock<CommandsRequestBuilder>();
        commands.Setup(c => c[CommandId]).Returns(item.Object);
        var device = new Mock<DeviceItemRequestBuilder>();
        device.Setup(d => d.Commands).Returns(commands.Object);
        var devices = new Mock<DevicesRequestBuilder>();
        devices.Setup(d => d[DeviceId]).Returns(device.Object);
        var me = new Mock<MeRequestBuilder>();
        me.Setup(m => m.Devices).Returns(devices.Object);
        var client = new Mock<DeviceCommandsClient>();
        client.Setup(c => c.Me).Returns(me.Object);

        var command = await client.Object.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

        Assert.Equal(ActionStatus.Completed, command!.Status);
    }

    [Fact]
    public async Task The_response_payload_can_be_mocked()
    {
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var client = new Mock<DeviceCommandsClient> { DefaultValue = DefaultValue.Mock };
        client.Setup(c => c.Me.Devices[DeviceId].Commands[CommandId].ResponsePayload.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PayloadResponse { Type = "#microsoft.graph.payloadResponse", CreationDate = created });

        var payload = await client.Object.Me.Devices[DeviceId].Commands[CommandId].ResponsePayload.GetAsync();

        Assert.Equal(created, payload!.CreationDate);
    }

    [Fact]
    public async Task Sending_a_command_can_be_mocked_and_verified()
    {
        var commands = new Mock<CommandsRequestBuilder>();
        commands.Setup(c => c.PostAsync(It.IsAny<Command>(), It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Command body, Action<RequestConfiguration<DefaultQueryParameters>>? _, CancellationToken _) => new Command { Id = CommandId, Type = body.Type, Status = ActionStatus.Requesting });

        var sent = await commands.Object.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal(CommandId, sent!.Id);
        Assert.Equal("LaunchUri", sent.Type);
        commands.Verify(c => c.PostAsync(It.Is<Command>(b => b.Type == "LaunchUri"), It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WaitForCompletionAsync_polls_a_mocked_command_on_its_schedule_until_it_completes()
    {
        var command = new Mock<CommandItemRequestBuilder>();
        command.SetupSequence(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(At(ActionStatus.Requesting))
            .ReturnsAsync(At(ActionStatus.Executing))
            .ReturnsAsync(At(ActionStatus.Completed));
        var progress = new ProgressRecorder<Command>();
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 7, Progress = progress };
        var start = _clock.GetUtcNow();

        var result = await _clock.RunAsync(() => command.Object.WaitForCompletionAsync(options));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, result.Polls);
        Assert.Equal(ScheduledTimes(options, start, 3)[^1] - start, result.Elapsed);
        Assert.Equal([ActionStatus.Requesting, ActionStatus.Executing, ActionStatus.Completed], progress.Items.Select(c => c.Status));
        command.Verify(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task A_wait_honours_a_Retry_After_a_mock_answers_through_the_headers_inspection_option()
    {
        var command = new Mock<CommandItemRequestBuilder>();
        var polledAt = new List<DateTimeOffset>();
        var polls = 0;
        command.Setup(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Action<RequestConfiguration<DefaultQueryParameters>>? configure, CancellationToken _) =>
            {
                polledAt.Add(_clock.GetUtcNow());
                if (++polls == 1)
                {
                    Assert.Equal(1, MockedRequests.AnswerHeaders(configure, ("Retry-After", "7")));
                    return At(ActionStatus.Executing);
                }

                return At(ActionStatus.Completed);
            });
        var start = _clock.GetUtcNow();

        var result = await _clock.RunAsync(() => command.Object.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 7 }));

        Assert.Equal(2, result.Polls);
        Assert.Equal([start, start + TimeSpan.FromSeconds(7)], polledAt);
    }

    [Fact]
    public async Task SendAndWaitAsync_posts_to_a_mocked_builder_then_polls_the_item_its_indexer_gives()
    {
        var item = new Mock<CommandItemRequestBuilder>();
        item.SetupSequence(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(At(ActionStatus.Executing))
            .ReturnsAsync(At(ActionStatus.Completed));
        var commands = new Mock<CommandsRequestBuilder>(MockBehavior.Strict);
        commands.Setup(c => c.PostAsync(It.IsAny<Command>(), It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(At(ActionStatus.Requesting));
        commands.Setup(c => c[CommandId]).Returns(item.Object);
        var progress = new ProgressRecorder<Command>();

        var result = await _clock.RunAsync(() => commands.Object.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 7, Progress = progress }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(2, result.Polls);
        Assert.Equal([ActionStatus.Requesting, ActionStatus.Executing, ActionStatus.Completed], progress.Items.Select(c => c.Status));
        commands.Verify(c => c.PostAsync(It.IsAny<Command>(), It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()), Times.Once);
        commands.Verify(c => c[CommandId], Times.Once);
    }

    [Fact]
    public async Task WatchAsync_yields_each_status_change_of_a_mocked_command()
    {
        var command = new Mock<CommandItemRequestBuilder>();
        command.SetupSequence(c => c.GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(At(ActionStatus.Requesting))
            .ReturnsAsync(At(ActionStatus.Requesting))
            .ReturnsAsync(At(ActionStatus.Executing))
            .ReturnsAsync(At(ActionStatus.Completed));
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 7 };

        var seen = await _clock.RunAsync(async () =>
        {
            var statuses = new List<ActionStatus?>();
            await foreach (var c in command.Object.WatchAsync(options))
            {
                statuses.Add(c.Status);
            }

            return statuses;
        });

        Assert.Equal([ActionStatus.Requesting, ActionStatus.Executing, ActionStatus.Completed], seen);
    }

    [Fact]
    public async Task ResumeWaitAsync_and_PollOnceAsync_reach_a_mocked_client_through_its_chain()
    {
        var client = new Mock<DeviceCommandsClient> { DefaultValue = DefaultValue.Mock };
        client.SetupSequence(c => c.Me.Devices[DeviceId].Commands[CommandId].GetAsync(It.IsAny<Action<RequestConfiguration<DefaultQueryParameters>>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(At(ActionStatus.Executing))
            .ReturnsAsync(At(ActionStatus.Executing))
            .ReturnsAsync(At(ActionStatus.Completed));
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 7 };
        var checkpoint = CommandWaitCheckpoint.Start(DeviceId, CommandId, options, _clock);

        var first = await client.Object.PollOnceAsync(checkpoint, options);
        var result = await _clock.RunAsync(() => client.Object.ResumeWaitAsync(first.Checkpoint, options));

        Assert.Equal(ActionStatus.Executing, first.Command!.Status);
        Assert.Null(first.Result);
        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, result.Polls);
    }

    [Fact]
    public async Task A_mock_that_calls_the_base_class_gets_the_clear_NotSupportedException_for_a_member_it_did_not_set_up()
    {
        var command = new Mock<CommandItemRequestBuilder> { CallBase = true };

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => command.Object.GetAsync());
        var wait = await Assert.ThrowsAsync<NotSupportedException>(() => _clock.RunAsync(() => command.Object.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock })));

        Assert.Contains("protected parameterless constructor, for mocking", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, wait.Message);
    }
}
