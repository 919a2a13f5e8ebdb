using System.Net;
using System.Text.Json;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// A payload number that no .NET number holds exactly (beyond double's range, or with more digits than decimal and double
/// keep) is kept as its JSON text and written back as it came: never infinity, never rounded, never an exception.
/// </summary>
public class NumbersBeyondDoubleTests
{
    private const string Body = """{"id":"1","payload":{"a":1e400,"b":-1e309,"c":1E+999,"d":[1e400]},"extra":-1e309,"responsePayload":{"type":"t","big":1E+999}}""";

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e309")]
    [InlineData("1E+999")]
    [InlineData("1e-400")]
    [InlineData("0.1000000000000000000000000000000000001")]
    [InlineData("123456789012345678901234567890123456789")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("-0e5")]
    public void FromJson_keeps_the_number_as_its_text_and_ToJson_writes_it_back(string number)
    {
        using var document = JsonDocument.Parse($$"""{"n":{{number}}}""");

        var payload = JsonPayload.FromJson(document.RootElement);

        var n = Assert.IsType<UntypedJsonNumber>(Assert.IsType<UntypedObject>(payload).GetValue()["n"]);
        Assert.Equal(number, n.GetValue());
        Assert.Equal($$"""{"n":{{number}}}""", JsonPayload.ToJson(payload).GetRawText());
        Assert.Same(n, JsonPayload.ToDictionary(payload)!["n"]);
    }

    [Fact]
    public async Task A_command_read_from_the_service_keeps_its_big_numbers_everywhere_and_writes_them_back()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, Body);

        var command = await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.Equal("1e400", Assert.IsType<UntypedJsonNumber>(Assert.IsType<UntypedObject>(command!.Payload).GetValue()["a"]).GetValue());
        Assert.Equal("-1e309", Assert.IsType<UntypedJsonNumber>(command.AdditionalData["extra"]).GetValue());
        Assert.Contains("1E+999", command.ResponsePayload!.ToJson().GetRawText(), StringComparison.Ordinal);
        Assert.Contains("1e400", JsonPayload.ToJson(command.Payload).GetRawText(), StringComparison.Ordinal);
        Assert.True(Json.SameJson(Body, Json.Write(command)));
    }

    [Fact]
    public async Task A_command_built_with_big_numbers_is_sent_with_them_exactly()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, """{"id":"1"}""");
        using var document = JsonDocument.Parse("""{"big":1e400,"precise":0.1000000000000000000000000000000000001}""");
        var command = DeviceCommands.Client.Models.Command.AppService("svc", "pfn");
        command.Payload = JsonPayload.FromJson(document.RootElement);
        command.AdditionalData["huge"] = new UntypedJsonNumber("-1e309");

        await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands.PostAsync(command);

        var sent = recorder.Single.Body!;
        Assert.Contains("\"big\":1e400", sent, StringComparison.Ordinal);
        Assert.Contains("\"precise\":0.1000000000000000000000000000000000001", sent, StringComparison.Ordinal);
        Assert.Contains("\"huge\":-1e309", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_that_doubles_and_decimals_hold_exactly_keep_their_types()
    {
        using var document = JsonDocument.Parse("""[1,3000000000,1.50,1e300,1e-300,1.5E3]""");

        var items = Assert.IsType<UntypedArray>(JsonPayload.FromJson(document.RootElement)).GetValue().ToList();

        Assert.IsType<UntypedInteger>(items[0]);
        Assert.IsType<UntypedLong>(items[1]);
        Assert.Equal(1.50m, Assert.IsType<UntypedDecimal>(items[2]).GetValue());
        Assert.Equal(1e300, Assert.IsType<UntypedDouble>(items[3]).GetValue());
        Assert.Equal(1e-300, Assert.IsType<UntypedDouble>(items[4]).GetValue());
        Assert.Equal(1500.0, Assert.IsType<UntypedDouble>(items[5]).GetValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1e")]
    [InlineData("01")]
    [InlineData("Infinity")]
    [InlineData("1.")]
    [InlineData(" 1")]
    public void A_number_node_refuses_text_that_is_not_a_JSON_number(string text) =>
        Assert.Throws<ArgumentException>(() => new UntypedJsonNumber(text));

    [Fact]
    public void Infinity_and_NaN_from_user_values_are_refused_when_the_payload_is_built()
    {
        Assert.Throws<ArgumentException>(() => JsonPayload.FromValue(new Dictionary<string, object?> { ["n"] = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => JsonPayload.FromValue(float.NaN));
        Assert.Equal("1" + new string('0', 40), Assert.IsType<UntypedJsonNumber>(JsonPayload.FromValue(System.Numerics.BigInteger.Pow(10, 40))).GetValue());
    }
}
