using System.Net;
using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;
using DeviceCommands.TestSupport;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Names that differ only in case are valid JSON: a payload keeps them all, and a model reads one of them by a defined
/// rule (the model's own spelling wins; otherwise the last sent), never throwing.
/// </summary>
public class CaseTwinNameTests
{
    [Fact]
    public async Task A_payload_from_the_service_with_case_twin_names_keeps_both_in_its_dictionary()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"c1","payload":{"type":"a","Type":"b","deep":{"x":1,"X":2}}}""");

        var command = await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c1"].GetAsync();
        var values = JsonPayload.ToDictionary(command!.Payload)!;

        Assert.Equal(("a", "b"), (values["type"], values["Type"]));
        Assert.Equal(3, values.Count);
        var deep = (IReadOnlyDictionary<string, object?>)values["deep"]!;
        Assert.Equal((1, 2), (deep["x"], deep["X"]));
        Assert.True(Json.SameJson("""{"type":"a","Type":"b","deep":{"x":1,"X":2}}""", JsonPayload.ToJson(command.Payload).GetRawText()));
    }

    [Fact]
    public void A_payload_built_with_case_twin_names_reads_back_as_a_dictionary_and_still_answers_any_case()
    {
        var payload = JsonPayload.FromValue(new Dictionary<string, object?> { ["type"] = "a", ["Type"] = "b", ["title"] = "t" });

        var values = JsonPayload.ToDictionary(payload)!;

        Assert.Equal(["type", "Type", "title"], values.Keys);
        Assert.Equal("t", values["TITLE"]);
        Assert.Equal("a", values["TYPE"]); // the first spelling sent answers a spelling that is not there
        Assert.False(values.ContainsKey("missing"));
    }

    [Theory]
    [InlineData("""{"id":"c1","Status":"executing","status":"completed"}""")]
    [InlineData("""{"id":"c1","status":"completed","Status":"executing"}""")]
    [InlineData("""{"id":"c1","status":"completed","STATUS":"executing","Status":"expired"}""")]
    public async Task The_models_own_spelling_wins_over_any_other_and_the_others_are_kept(string json)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, json);

        var read = await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c1"].GetAsync();
        var stock = Json.Read(json, Command.CreateFromDiscriminatorValue);

        Assert.All(new[] { read!, stock }, command => Assert.Equal(ActionStatus.Completed, command.Status));
        Assert.Equal("completed", JsonDocument.Parse(Json.Write(read!)).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Without_the_models_own_spelling_the_last_spelling_sent_wins()
    {
        var command = Json.Read("""{"ID":"first","Id":"second"}""", Command.CreateFromDiscriminatorValue);

        Assert.Equal("second", command.Id);
    }

    [Fact]
    public void A_later_twin_of_the_models_own_spelling_is_kept_in_additional_data()
    {
        var command = Json.Read("""{"type":"LaunchUri","Type":"AppService"}""", Command.CreateFromDiscriminatorValue);

        Assert.Equal("LaunchUri", command.Type);
        Assert.Equal("AppService", Assert.IsType<Microsoft.Kiota.Abstractions.Serialization.UntypedString>(command.AdditionalData["Type"]).GetValue());
    }
}
