using DeviceCommands.Client.Me;
using DeviceCommands.Client.Me.Devices;
using DeviceCommands.Client.Me.Devices.Item;
using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item.ResponsePayload;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using NSubstitute;
using static DeviceCommands.Client.Tests.Mocking.Mocked;

namespace DeviceCommands.Client.Tests.Mocking;

/// <summary>
/// The protected parameterless constructors, used by hand (subclasses, as API.md's contract does): what a member that
/// was not overridden does, and a subclass that overrides a member and calls the base class of a real builder.
/// </summary>
public sealed class MockingConstructorTests
{
    private readonly VirtualClock _clock = new();

    [Fact]
    public async Task Every_member_that_builds_or_sends_a_request_throws_the_clear_NotSupportedException()
    {
        var body = Command.LaunchUri(new Uri("https://bing.com"));
        var client = new BareClient();
        var calls = new List<(string Name, Func<Task> Call)>
        {
            ("Devices.GetAsync", () => new BareDevices().GetAsync()),
            ("Devices.ToGetRequestInformation", () => Sync(() => new BareDevices().ToGetRequestInformation())),
            ("Commands.PostAsync", () => new BareCommands().PostAsync(body)),
            ("Commands.ToPostRequestInformation", () => Sync(() => new BareCommands().ToPostRequestInformation(body))),
            ("Command.GetAsync", () => new BareCommand().GetAsync()),
            ("Command.ToGetRequestInformation", () => Sync(() => new BareCommand().ToGetRequestInformation())),
            ("Payload.GetAsync", () => new BarePayload().GetAsync()),
            ("Payload.ToGetRequestInformation", () => Sync(() => new BarePayload().ToGetRequestInformation())),

            // the navigation of a builder made for mocking gives builders over the same placeholder
            ("client chain to devices", () => client.Me.Devices.GetAsync()),
            ("client chain to a command", () => client.Me.Devices[DeviceId].Commands[CommandId].GetAsync()),
            ("client chain to a payload", () => client.Me.Devices[DeviceId].Commands[CommandId].ResponsePayload.GetAsync()),
            ("me chain to commands", () => new BareMe().Devices[DeviceId].Commands.PostAsync(body)),
            ("device chain", () => new BareDevice().Commands[CommandId].GetAsync()),
            ("WithUrl", () => new BareCommand().WithUrl("https://graph.microsoft.com/beta/me/devices/d/commands/c").GetAsync()),
        };

        foreach (var (name, call) in calls)
        {
            var e = await Assert.ThrowsAsync<NotSupportedException>(call);
            Assert.True(e.Message == MockingAdapter.Message, name);
        }
    }

    [Fact]
    public void The_message_names_the_cause_and_the_fix()
    {
        Assert.Contains("protected parameterless constructor, for mocking", MockingAdapter.Message, StringComparison.Ordinal);
        Assert.Contains("Set up (or override) the member you call", MockingAdapter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_over_a_builder_that_overrides_nothing_fails_at_once_with_it_and_is_not_retried()
    {
        var command = new BareCommand();

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => _clock.RunAsync(() => command.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock })));

        Assert.Equal(MockingAdapter.Message, e.Message);
        Assert.Equal(VirtualClock.DefaultStart, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_subclass_like_the_contracts_MockCommand_calls_the_base_class_and_gets_the_clear_exception()
    {
        var command = new ContractLikeCommand();

        await Assert.ThrowsAsync<NotSupportedException>(() => command.GetAsync());

        Assert.Equal(1, command.Calls);
    }

    [Fact]
    public async Task A_subclass_of_a_real_builder_can_override_GetAsync_and_call_the_base_class()
    {
        var handler = new ScriptedHandler(_clock, CommandId) { GetsOnly = true };
        handler.Status("executing", "completed");
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(handler)) { BaseUrl = TestClients.BaseUrl };
        var command = new CountingCommand(new Dictionary<string, object> { ["baseurl"] = TestClients.BaseUrl, [RequestFactory.DeviceIdKey] = DeviceId, [RequestFactory.CommandIdKey] = CommandId }, adapter);

        var result = await _clock.RunAsync(() => command.WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 1 }));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(2, command.Calls);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("https://graph.microsoft.com/beta/me/devices/dev-1/commands/cmd-1", r.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task A_wait_with_a_Checkpoint_callback_over_a_mocked_builder_is_refused_as_it_has_no_ids()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => command.WaitForCompletionAsync(new CommandWaitOptions { Checkpoint = _ => { } }));

        Assert.Contains("mock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resumed_wait_over_a_mocked_client_takes_its_ids_from_the_checkpoint()
    {
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices[DeviceId].Commands[CommandId].GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>())
            .Returns(At(ActionStatus.Executing), At(ActionStatus.Completed));
        var checkpoints = new List<CommandWaitCheckpoint>();
        var options = new CommandWaitOptions { TimeProvider = _clock, JitterSeed = 2, Checkpoint = checkpoints.Add };

        var result = await _clock.RunAsync(() => client.ResumeWaitAsync(CommandWaitCheckpoint.Start(DeviceId, CommandId, options, _clock), options));

        Assert.Equal(ActionStatus.Completed, result.Status);
        var checkpoint = Assert.Single(checkpoints);
        Assert.Equal((DeviceId, CommandId, 1), (checkpoint.DeviceId, checkpoint.CommandId, checkpoint.Polls));
    }

    [Fact]
    public async Task A_wait_over_a_mock_whose_options_name_no_clock_runs_on_the_system_clock()
    {
        var command = Substitute.For<CommandItemRequestBuilder>();
        command.GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>?>(), Arg.Any<CancellationToken>()).Returns(At(ActionStatus.Completed));

        var result = await command.WaitForCompletionAsync();

        Assert.Equal(1, result.Polls);
        Assert.InRange(result.Elapsed, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    private static Task Sync(Func<object> build)
    {
        build();
        return Task.CompletedTask;
    }

    private sealed class BareClient : DeviceCommandsClient;

    private sealed class BareMe : MeRequestBuilder;

    private sealed class BareDevices : DevicesRequestBuilder;

    private sealed class BareDevice : DeviceItemRequestBuilder;

    private sealed class BareCommands : CommandsRequestBuilder;

    private sealed class BareCommand : CommandItemRequestBuilder;

    private sealed class BarePayload : ResponsePayloadRequestBuilder;

    private sealed class ContractLikeCommand : CommandItemRequestBuilder
    {
        public int Calls { get; private set; }

        public override Task<Command?> GetAsync(Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default, CancellationToken cancellationToken = default)
        {
            Calls++;
            return base.GetAsync(requestConfiguration, cancellationToken);
        }
    }

    private sealed class CountingCommand(Dictionary<string, object> pathParameters, IRequestAdapter adapter) : CommandItemRequestBuilder(pathParameters, adapter)
    {
        public int Calls { get; private set; }

        public override Task<Command?> GetAsync(Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default, CancellationToken cancellationToken = default)
        {
            Calls++;
            return base.GetAsync(requestConfiguration, cancellationToken);
        }
    }
}
