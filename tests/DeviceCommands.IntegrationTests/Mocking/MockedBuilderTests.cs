using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using NSubstitute;

namespace DeviceCommands.IntegrationTests.Mocking;

/// <summary>A request builder made for mocking says, when a member was not set up, that it needs setting up.</summary>
public sealed class MockedBuilderTests
{
    [Fact]
    public async Task ABuilderMadeForMocking_WithAMemberNotSetUp_ThrowsNotSupportedException_ThatSaysSo()
    {
        var command = Substitute.ForPartsOf<CommandItemRequestBuilder>();

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => command.GetAsync());

        Assert.Contains("set up", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
