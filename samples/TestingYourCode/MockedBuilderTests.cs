using DeviceCommands.Client;
using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;
using Moq;
using NSubstitute;

namespace DeviceCommands.Samples.TestingYourCode;

/// <summary>Way 3: Moq or NSubstitute on the client and its builders: every member is virtual, and the wait polls the mock.</summary>
public sealed class MockedBuilderTests
{
    private static async IAsyncEnumerable<Device> Devices(params Device[] devices)
    {
        foreach (var device in devices)
        {
            yield return device;
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task With_NSubstitute_the_chain_is_substituted_by_itself()
    {
        // README: Testing your code, NSubstitute
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices.ListAsync(Arg.Any<CancellationToken>()).Returns(Devices(new Device { Id = "pc", Name = "PC", Status = "Online" }));
        var commands = client.Me.Devices["pc"].Commands;
        commands.PostAsync(Arg.Any<Command>(), Arg.Any<Action<Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Kiota.Abstractions.DefaultQueryParameters>>>(), Arg.Any<CancellationToken>())
            .Returns(new Command { Id = "c1", Status = ActionStatus.Requesting });
        commands["c1"].GetAsync(Arg.Any<Action<Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Kiota.Abstractions.DefaultQueryParameters>>>(), Arg.Any<CancellationToken>())
            .Returns(new Command { Id = "c1", Status = ActionStatus.Executing }, new Command { Id = "c1", Status = ActionStatus.Completed });
        var clock = new VirtualClock();

        var outcome = await clock.RunAsync(() => new DeviceOpener(client, clock).OpenAsync(new Uri("https://bing.com")));

        Assert.Equal("Opened on PC", outcome);
        await commands["c1"].Received(2).GetAsync(Arg.Any<Action<Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Kiota.Abstractions.DefaultQueryParameters>>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task With_Moq_a_failed_command_reads_as_its_status()
    {
        var command = new Mock<CommandItemRequestBuilder>();
        command.Setup(c => c.GetAsync(It.IsAny<Action<Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Kiota.Abstractions.DefaultQueryParameters>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Command { Id = "c1", Status = ActionStatus.FailedToSend });
        var commands = new Mock<CommandsRequestBuilder>();
        commands.Setup(c => c.PostAsync(It.IsAny<Command>(), It.IsAny<Action<Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Kiota.Abstractions.DefaultQueryParameters>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Command { Id = "c1", Status = ActionStatus.Requesting });
        commands.Setup(c => c["c1"]).Returns(command.Object);
        var client = new Mock<DeviceCommandsClient> { DefaultValue = DefaultValue.Mock };
        client.Setup(c => c.Me.Devices.ListAsync(It.IsAny<CancellationToken>())).Returns(Devices(new Device { Id = "phone", Name = "Phone", Status = "Online" }));
        client.Setup(c => c.Me.Devices["phone"].Commands).Returns(commands.Object);
        var clock = new VirtualClock();

        var outcome = await clock.RunAsync(() => new DeviceOpener(client.Object, clock).OpenAsync(new Uri("https://bing.com")));

        Assert.Equal("Phone: failedToSend", outcome);
    }
}
