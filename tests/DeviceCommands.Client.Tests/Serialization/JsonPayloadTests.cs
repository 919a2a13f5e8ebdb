using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.TestSupport;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Payloads in the shapes users hold them: JSON, a dictionary, or their own type through System.Text.Json source
/// generation (trimming and AOT safe, no Kiota registry needed), both ways, for a command's payload and an app
/// service's answer.
/// </summary>
public partial class JsonPayloadTests
{
    public sealed record Toast(string Type, string Title, int Count);

    public sealed record AppAnswer(string Type, Toast? AppServiceResponse);

    [JsonSerializable(typeof(Toast))]
    [JsonSerializable(typeof(AppAnswer))]
    [JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
    internal sealed partial class PayloadJson : JsonSerializerContext;

    [Fact]
    public async Task A_command_with_a_payload_of_your_own_type_is_sent_as_its_json()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, """{"id":"c1"}""");
        var client = TestClients.Created(recorder.Handler);

        await client.Me.Devices["d"].Commands.PostAsync(Command.AppService("svc", "pfn", new Toast("Toast", "Hello", 2), PayloadJson.Default.Toast));

        using var sent = JsonDocument.Parse(recorder.Single.Body!);
        Assert.Equal("AppService", sent.RootElement.GetProperty("type").GetString());
        Assert.Equal("""{"Type":"Toast","Title":"Hello","Count":2}""", sent.RootElement.GetProperty("payload").GetRawText());
    }

    [Fact]
    public void A_payload_reads_back_as_json_as_a_dictionary_and_as_your_own_type()
    {
        var command = new Command { Payload = JsonPayload.FromJson(JsonDocument.Parse("""{"type":"Toast","title":"Hi","count":3,"tags":["a",1,true,null],"deep":{"x":1.5}}""").RootElement) };

        Assert.Equal("""{"type":"Toast","title":"Hi","count":3,"tags":["a",1,true,null],"deep":{"x":1.5}}""", JsonPayload.ToJson(command.Payload).GetRawText());
        var values = JsonPayload.ToDictionary(command.Payload)!;
        Assert.Equal("Hi", values["TITLE"]);
        Assert.Equal(3, values["count"]);
        Assert.Equal(["a", 1, true, null], (List<object?>)values["tags"]!);
        Assert.Equal(1.5m, ((IReadOnlyDictionary<string, object?>)values["deep"]!)["x"]);
        Assert.Equal(new Toast("Toast", "Hi", 3), command.GetPayload(PayloadJson.Default.Toast));
    }

    [Fact]
    public void A_payload_that_is_not_an_object_has_no_dictionary_and_none_reads_as_default()
    {
        Assert.Null(JsonPayload.ToDictionary(JsonPayload.FromValue("text")));
        Assert.Null(new Command().GetPayload(PayloadJson.Default.Toast));
        Assert.Equal(JsonValueKind.Null, JsonPayload.ToJson(null).ValueKind);
    }

    [Fact]
    public void A_payload_that_does_not_fit_your_type_says_where()
    {
        var command = new Command { Payload = JsonPayload.FromValue(new Dictionary<string, object?> { ["Count"] = "many" }) };

        var error = Assert.Throws<JsonException>(() => command.GetPayload(PayloadJson.Default.Toast));

        Assert.Contains("Count", error.Path ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_services_answer_reads_as_your_own_type_with_the_documented_properties_beside_it()
    {
        var body = """{"@odata.context":"x","MsIgnoredParameter":0,"CreationDate":"04/27/2017","Type":"Ok","AppServiceResponse":{"Type":"Toast","Title":"Hello","Count":1}}""";
        var client = TestClients.Created(MockHttpRecorder.Answering(HttpStatusCode.OK, body).Handler);

        var answer = (await client.Me.Devices["d"].Commands["c"].ResponsePayload.GetAsync())!;

        var typed = answer.As(PayloadJson.Default.AppAnswer)!;
        Assert.Equal("Ok", typed.Type);
        Assert.Equal(new Toast("Toast", "Hello", 1), typed.AppServiceResponse);
        Assert.Equal("Toast", answer.ToJson().GetProperty("AppServiceResponse").GetProperty("Type").GetString());
        Assert.Equal("Ok", answer.ToJson().GetProperty("type").GetString());
    }
}
