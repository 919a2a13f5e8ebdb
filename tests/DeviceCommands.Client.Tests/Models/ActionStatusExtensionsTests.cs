using System.Reflection;
using System.Runtime.Serialization;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Models;

public class ActionStatusExtensionsTests
{
    public static TheoryData<ActionStatus> All => new(Enum.GetValues<ActionStatus>());

    [Fact]
    public void The_enum_has_exactly_the_fourteen_service_values_in_order()
    {
        string[] wire = ["requesting", "sentToTarget", "executing", "completed", "failedToSend", "executionFailed", "commandDropped",
            "cancel", "cancelling", "canceled", "retry", "expired", "error", "custom"];

        Assert.Equal(wire, Enum.GetValues<ActionStatus>().Select(s => s.ToWireValue()));
        Assert.Equal(wire, typeof(ActionStatus).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<EnumMemberAttribute>()!.Value));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void IsTerminal_holds_for_the_seven_end_states_only(ActionStatus status)
    {
        ActionStatus[] terminal = [ActionStatus.Completed, ActionStatus.FailedToSend, ActionStatus.ExecutionFailed,
            ActionStatus.CommandDropped, ActionStatus.Canceled, ActionStatus.Expired, ActionStatus.Error];

        Assert.Equal(terminal.Contains(status), status.IsTerminal());
        Assert.Equal(status == ActionStatus.Completed, status.IsSuccess());
    }

    [Theory]
    [MemberData(nameof(All))]
    public void TryParse_reads_every_wire_value_in_any_case(ActionStatus status)
    {
        var wire = status.ToWireValue();

        Assert.True(ActionStatusExtensions.TryParse(wire, out var a));
        Assert.True(ActionStatusExtensions.TryParse(wire.ToUpperInvariant(), out var b));
        Assert.True(ActionStatusExtensions.TryParse(" " + status + " ", out var c));
        Assert.Equal([status, status, status], new[] { a, b, c });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("queuedForLater")]
    [InlineData("completedd")]
    public void TryParse_refuses_unknown_text(string? text)
    {
        Assert.False(ActionStatusExtensions.TryParse(text, out _));
    }

    [Fact]
    public void ToWireValue_refuses_an_undefined_value()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ActionStatus)99).ToWireValue());
    }
}
