using System.Net;
using System.Text;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Bad bytes drop only what they touch: a byte-order mark is read past, and a string that cannot be decoded (an invalid
/// UTF-8 byte, an escaped lone surrogate) is dropped with its property or array item while everything else is read, so
/// the answer to a POST never loses the new command's id to a stray byte elsewhere.
/// </summary>
public class JsonBodyTests
{
    private static readonly byte[] Bad = [0xFF];

    private static byte[] Body(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    public static TheoryData<string, byte[]> Bodies() => new()
    {
        { "a byte-order mark", Body(new byte[] { 0xEF, 0xBB, 0xBF }, "{\"id\":\"c1\",\"status\":\"completed\"}") },
        { "an invalid byte in an unknown name", Body("{\"id\":\"c1\",\"x", Bad, "y\":1,\"status\":\"completed\"}") },
        { "an invalid byte in an unknown value", Body("{\"id\":\"c1\",\"extra\":\"a", Bad, "b\",\"status\":\"completed\"}") },
        { "a truncated sequence in an unknown value", Body("{\"id\":\"c1\",\"extra\":\"\u00e9", new byte[] { 0xE4, 0xB8 }, "\",\"status\":\"completed\"}") },
        { "an invalid byte deep in the payload", Body("{\"id\":\"c1\",\"status\":\"completed\",\"payload\":{\"k\":[\"ok\",\"", Bad, "\"]}}") },
        { "a lone surrogate escaped in an unknown name", Body("{\"id\":\"c1\",\"status\":\"completed\",\"\\udfff\":1}") },
        { "a lone surrogate escaped in an array item", Body("{\"id\":\"c1\",\"status\":\"completed\",\"extra\":[\"a\\ud800b\"]}") },
        { "a byte-order mark and an invalid byte", Body(new byte[] { 0xEF, 0xBB, 0xBF }, "{\"", Bad, "\":\"", Bad, "\",\"id\":\"c1\",\"status\":\"completed\"}") },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task The_command_is_read_whatever_else_the_body_holds(string what, byte[] body)
    {
        var handler = new ScriptedHandler { Respond = _ => ScriptedHandler.Json(HttpStatusCode.Created, body) };

        foreach (var (name, client) in TestClients.Both(handler))
        {
            var command = await client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

            Assert.True(command?.Id == "c1", $"{what}, {name}: id {command?.Id}");
            Assert.Equal(ActionStatus.Completed, command?.Status);
        }
    }

    [Fact]
    public async Task Only_the_string_that_cannot_be_decoded_is_dropped_and_its_neighbours_are_kept()
    {
        var body = Body("{\"id\":\"c1\",\"bad\":\"", Bad, "\",\"good\":\"yes\",\"payload\":{\"k\":\"v\",\"broken\":\"", Bad, "\",\"list\":[1,\"", Bad, "\",3]}}");
        var handler = new ScriptedHandler { Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, body) };

        foreach (var (name, client) in TestClients.Both(handler))
        {
            var command = (await client.Me.Devices["d"].Commands["c1"].GetAsync())!;

            Assert.False(command.AdditionalData.ContainsKey("bad"), name);
            Assert.Equal("yes", command.AdditionalData["good"]);
            var payload = Assert.IsType<Microsoft.Kiota.Abstractions.Serialization.UntypedObject>(command.Payload).GetValue();
            Assert.Equal(["k", "list"], payload.Keys.Order());
            Assert.Equal(2, Assert.IsType<Microsoft.Kiota.Abstractions.Serialization.UntypedArray>(payload["list"]).GetValue().Count());
        }
    }

    [Fact]
    public async Task A_known_string_that_cannot_be_decoded_reads_as_absent()
    {
        var body = Body("{\"id\":\"a", Bad, "\",\"status\":\"completed\",\"type\":\"a\\ud800b\"}");
        var handler = new ScriptedHandler { Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, body) };

        foreach (var (_, client) in TestClients.Both(handler))
        {
            var command = (await client.Me.Devices["d"].Commands["c"].GetAsync())!;

            Assert.Null(command.Id);
            Assert.Null(command.Type);
            Assert.Equal(ActionStatus.Completed, command.Status);
        }
    }
}
