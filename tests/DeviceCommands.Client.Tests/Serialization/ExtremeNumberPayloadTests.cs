using System.Net;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Kiota's stock reader read a payload number beyond decimal's range as float infinity, and 1e-300 as 0; the client's
/// reader keeps such numbers as doubles, and plain decimals as decimals.
/// </summary>
public class ExtremeNumberPayloadTests
{
    [Theory]
    [InlineData("1e300", 1e300)]
    [InlineData("-1e300", -1e300)]
    [InlineData("1e-300", 1e-300)]
    [InlineData("1.5E3", 1500.0)]
    public async Task A_payload_number_with_an_exponent_reads_as_the_double_it_is(string json, double expected)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, $$"""{"id":"1","payload":{"n":{{json}}},"extra":{{json}}}""");

        var command = await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync();

        var n = Assert.IsType<UntypedDouble>(Assert.IsType<UntypedObject>(command!.Payload).GetValue()["n"]);
        Assert.Equal(expected, n.GetValue());
        Assert.Equal(expected, Assert.IsType<double>(command.AdditionalData["extra"]));
        Assert.True(Json.SameJson($$"""{"id":"1","payload":{"n":{{json}}},"extra":{{json}}}""", Json.Write(command)));
    }

    [Fact]
    public async Task A_plain_decimal_stays_exact()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"1","payload":{"n":12345678901234567890.123456789}}""");

        var command = await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync();

        var n = Assert.IsType<UntypedDecimal>(Assert.IsType<UntypedObject>(command!.Payload).GetValue()["n"]);
        Assert.Equal(12345678901234567890.123456789m, n.GetValue());
    }
}
