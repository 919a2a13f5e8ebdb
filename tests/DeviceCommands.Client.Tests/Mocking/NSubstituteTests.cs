using DeviceCommands.Client.Me.Devices;
using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;
using NSubstitute;
using static DeviceCommands.Client.Tests.Mocking.Mocked;

namespace DeviceCommands.Client.Tests.Mocking;

/// <summary>
/// The client and its builders substituted with NSubstitute. Every public member being virtual and each class having a
/// parameterless constructor, NSubstitute fills a chain with substitutes by itself (its recursive mocks), so one line
/// sets up a command at the end of <c>client.Me.Devices[id].Commands[id]</c>.
/// </summary>
public sealed class NSubstituteTests
{
    private readonly VirtualClock _clock = new();

    [Fact]
    public async Task The_devices_can_be_substituted_through_the_client()
    {
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices.GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(new DeviceCollectionResponse { Value = [new Device { Id = DeviceId, Name = "Laptop" }] });

        var answer = await client.Me.Devices.GetAsync();

        Assert.Equal("Laptop", Assert.Single(answer!.Value!).Name);
        await client.Me.Devices.Received(1).GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_command_at_the_end_of_the_chain_is_set_up_in_one_line()
    {
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices[DeviceId].Commands[CommandId].GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.Executing));

        var command = await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

        Assert.Equal(ActionStatus.Executing, command!.Status);
        Assert.IsAssignableFrom<CommandItemRequestBuilder>(client.Me.Devices[DeviceId].Commands[CommandId]);
    }

    [Fact]
    public async Task The_response_payload_can_be_substituted()
    {
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices[DeviceId].Commands[CommandId].ResponsePayload.GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(new PayloadResponse { Type = "#microsoft.graph.payloadResponse" });

        var payload = await client.Me.Devices[DeviceId].Commands[CommandId].ResponsePayload.GetAsync();

        Assert.Equal("#microsoft.graph.payloadResponse", payload!.Type);
    }

    [Fact]
    public async Task Sending_a_command_can_be_substituted_and_checked()
    {
        var commands = Substitute.For<CommandsRequestBuilder>();
        commands.PostAsync(Arg.Any<Command>(), Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.Requesting));

        var sent = await commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal(CommandId, sent!.Id);
        await commands.Received(1).PostAsync(Arg.Is<Command>(c => c.Type == "LaunchUri"), Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WaitForCompletionAsync_polls_a_substitute_until_it_completes()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();
        command.GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.Requesting), At(ActionStatus.Executing), At(ActionStatus.Completed));
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 3 };
        var start = _clock.GetUtcNow();

        var result = await _clock.RunAsync(() => command.WaitForCompletionAsync(options));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(3, result.Polls);
        Assert.Equal(ScheduledTimes(options, start, 3)[^1] - start, result.Elapsed);
        await command.Received(3).GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_wait_over_a_substitute_honours_the_Retry_After_it_answers()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();
        var polledAt = new List<DateTimeOffset>();
        command.GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(
                call =>
                {
                    polledAt.Add(_clock.GetUtcNow());
                    MockedRequests.AnswerHeaders(call.Arg<Action<RequestConfiguration<DefaultQueryParameters>>?>(), ("Retry-After", "12"));
                    return At(ActionStatus.Executing);
                },
                call =>
                {
                    polledAt.Add(_clock.GetUtcNow());
                    return At(ActionStatus.Completed);
                });
        var start = _clock.GetUtcNow();

        await _clock.RunAsync(() => command.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 3 }));

        Assert.Equal([start, start + TimeSpan.FromSeconds(12)], polledAt);
    }

    [Fact]
    public async Task SendAndWaitAsync_over_a_substituted_client_posts_once_and_polls_the_command_it_got()
    {
        var client = Substitute.For<DeviceCommandsClient>();
        var commands = client.Me.Devices[DeviceId].Commands;
        commands.PostAsync(Arg.Any<Command>(), Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.Requesting, "new-cmd"));
        commands["new-cmd"].GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.Executing, "new-cmd"), At(ActionStatus.Completed, "new-cmd"));

        var result = await _clock.RunAsync(() => client.Me.Devices[DeviceId].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 3 }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal("new-cmd", result.Command.Id);
        Assert.Equal(2, result.Polls);
        await commands.Received(1).PostAsync(Arg.Any<Command>(), Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WatchAsync_over_a_substitute_yields_the_changes()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();
        command.GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.SentToTarget), At(ActionStatus.Executing), At(ActionStatus.Executing), At(ActionStatus.Completed));

        var seen = await _clock.RunAsync(async () =>
        {
            var statuses = new List<ActionStatus?>();
            await foreach (var c in command.WatchAsync(new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 3 }))
            {
                statuses.Add(c.Status);
            }

            return statuses;
        });

        Assert.Equal([ActionStatus.SentToTarget, ActionStatus.Executing, ActionStatus.Completed], seen);
    }

    [Fact]
    public async Task A_substitute_that_forwards_to_the_base_class_throws_the_clear_NotSupportedException()
    {
        var devices = Substitute.ForPartsOf<DevicesRequestBuilder>();

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => devices.GetAsync());

        Assert.Contains("protected parameterless constructor, for mocking", e.Message, StringComparison.Ordinal);
    }
}
