using System.Net;
using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// One nesting limit for payloads, <see cref="JsonPayload.MaxDepth"/> (64), the same when a payload is built, written,
/// sent and read: 64 levels pass every way, 65 are refused every way with an error that names the limit, and a payload
/// 2,000 deep is refused before anything is sent.
/// </summary>
public class PayloadDepthLimitTests
{
    private static readonly JsonDocumentOptions Deep = new() { MaxDepth = 3000 };

    [Fact]
    public void The_limit_is_64() => Assert.Equal(64, JsonPayload.MaxDepth);

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(2000, false)]
    public void FromJson_takes_a_payload_up_to_the_limit(int depth, bool accepted)
    {
        using var document = JsonDocument.Parse(NestedJson(depth), Deep);

        if (accepted)
        {
            Assert.Equal(depth, DepthOf(JsonPayload.FromJson(document.RootElement)));
        }
        else
        {
            Assert.Contains("64", Assert.Throws<ArgumentException>(() => JsonPayload.FromJson(document.RootElement)).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void FromValue_takes_dictionaries_up_to_the_limit(int depth, bool accepted)
    {
        object value = new Dictionary<string, object?>();
        for (var i = 1; i < depth; i++)
        {
            value = new Dictionary<string, object?> { ["a"] = value };
        }

        if (accepted)
        {
            Assert.Equal(depth, DepthOf(JsonPayload.FromValue(value)));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => JsonPayload.FromValue(value));
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(2000, false)]
    public void ToJson_writes_a_payload_up_to_the_limit(int depth, bool accepted)
    {
        var payload = NestedNode(depth);

        if (accepted)
        {
            Assert.Equal(NestedJson(depth), JsonPayload.ToJson(payload).GetRawText());
        }
        else
        {
            Assert.Contains("64", Assert.Throws<ArgumentException>(() => JsonPayload.ToJson(payload)).Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => JsonPayload.FromValue(new Dictionary<string, object?> { ["p"] = payload }));
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void A_payload_responses_own_values_are_written_up_to_the_limit(int depth, bool accepted)
    {
        var answer = new PayloadResponse { Type = "t", AdditionalData = { ["deep"] = NestedNode(depth) } };

        if (accepted)
        {
            Assert.Equal(depth, DepthOf(JsonPayload.FromJson(answer.ToJson().GetProperty("deep"))));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => answer.ToJson());
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(2000, false)]
    public async Task PostAsync_sends_a_payload_up_to_the_limit_and_nothing_past_it(int depth, bool accepted)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, """{"id":"1"}""");
        var commands = TestClients.Created(recorder.Handler).Me.Devices["d"].Commands;
        var command = Command.AppService("svc", "pfn");
        command.Payload = NestedNode(depth);

        if (accepted)
        {
            await commands.PostAsync(command);
            Assert.Contains(NestedJson(depth), recorder.Single.Body, StringComparison.Ordinal);
        }
        else
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(() => commands.PostAsync(command));
            Assert.Contains("64", e.Message, StringComparison.Ordinal);
            Assert.Empty(recorder.Requests);
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(2000, false)]
    public async Task A_command_from_the_service_is_read_with_a_payload_up_to_the_limit(int depth, bool accepted)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, $$"""{"id":"1","payload":{{NestedJson(depth)}}}""");
        var item = TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"];

        if (accepted)
        {
            Assert.Equal(depth, DepthOf((await item.GetAsync())!.Payload!));
        }
        else
        {
            var e = await Assert.ThrowsAsync<ApiException>(() => item.GetAsync());
            Assert.Contains("64", e.Message, StringComparison.Ordinal);
            Assert.Equal(200, e.ResponseStatusCode);
        }
    }

    [Fact]
    public async Task An_error_answer_nested_too_deep_is_still_an_api_error()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.BadRequest, """{"error":{"code":"x","message":"m","inner":""" + NestedJson(2000) + "}}");

        var e = await Assert.ThrowsAnyAsync<ApiException>(() => TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal(400, e.ResponseStatusCode);
    }

    private static string NestedJson(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);

    private static UntypedNode NestedNode(int depth)
    {
        UntypedNode node = new UntypedObject(new Dictionary<string, UntypedNode>());
        for (var i = 1; i < depth; i++)
        {
            node = new UntypedObject(new Dictionary<string, UntypedNode> { ["a"] = node });
        }

        return node;
    }

    private static int DepthOf(UntypedNode node) => node is UntypedObject o ? 1 + o.GetValue().Values.Select(DepthOf).DefaultIfEmpty(0).Max() : 0;
}
