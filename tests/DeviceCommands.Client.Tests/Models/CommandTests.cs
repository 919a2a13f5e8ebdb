using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Models;

public class CommandTests
{
    private static Command Read(string json) => Json.Read(json, Command.CreateFromDiscriminatorValue);

    [Fact]
    public void Reading_the_status_page_body_turns_every_null_string_into_null()
    {
        var command = Read(Fixture.Read("status-null-strings.json"));

        Assert.Equal("0", command.Id);
        Assert.Equal(ActionStatus.Requesting, command.Status);
        Assert.Equal("requesting", command.RawStatus);
        Assert.Null(command.Type);
        Assert.Null(command.AppServiceName);
        Assert.Null(command.PackageFamilyName);
        Assert.Null(command.Error);
        Assert.Null(command.ResponsePayload);
        Assert.Null(command.Payload);
        Assert.Null(command.PermissionTicket);
        Assert.Null(command.PostBackUri);
        Assert.Empty(command.AdditionalData);
    }

    [Fact]
    public void Reading_the_status_example_unwraps_the_value_wrapper_and_keeps_the_mangled_id_verbatim()
    {
        var command = Read(Fixture.Read("status-value-wrapper.json"));

        Assert.Equal("0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266â€¦", command.Id);
        Assert.Equal(ActionStatus.Completed, command.Status);
        Assert.Null(command.Type);
        Assert.Null(command.Payload);
        Assert.DoesNotContain("value", command.AdditionalData.Keys);
    }

    [Theory]
    [InlineData("""{"ID":"x","STATUS":"sentToTarget","Type":"LaunchUri","AppServiceName":"a","PackageFamilyName":"p","Error":"e","PermissionTicket":"t","PostBackUri":"u"}""")]
    [InlineData("""{"id":"x","status":"SENTTOTARGET","type":"LaunchUri","appservicename":"a","packagefamilyname":"p","error":"e","permissionticket":"t","postbackURI":"u"}""")]
    public void Property_names_match_in_any_case_including_postbackURI(string json)
    {
        var command = Read(json);

        Assert.Equal("x", command.Id);
        Assert.Equal(ActionStatus.SentToTarget, command.Status);
        Assert.Equal("LaunchUri", command.Type);
        Assert.Equal("a", command.AppServiceName);
        Assert.Equal("p", command.PackageFamilyName);
        Assert.Equal("e", command.Error);
        Assert.Equal("t", command.PermissionTicket);
        Assert.Equal("u", command.PostBackUri);
    }

    [Theory]
    [InlineData("responsepayload")]
    [InlineData("responsePayload")]
    [InlineData("ResponsePayload")]
    public void The_inline_response_payload_reads_under_either_spelling(string name)
    {
        var command = Read("{\"id\":\"1\",\"" + name + "\":{\"Type\":\"Ok\",\"CreationDate\":\"04/27/2017\"}}");

        Assert.Equal("Ok", command.ResponsePayload?.Type);
        Assert.Equal(new DateTimeOffset(2017, 4, 27, 0, 0, 0, TimeSpan.Zero), command.ResponsePayload?.CreationDate);
    }

    [Fact]
    public void An_unknown_status_reads_as_null_and_keeps_its_text()
    {
        var command = Read("""{"id":"1","status":"queuedForLater"}""");

        Assert.Null(command.Status);
        Assert.Equal("queuedForLater", command.RawStatus);
    }

    [Theory]
    [InlineData("completed", true)]
    [InlineData("sentToTarget", true)]
    [InlineData("COMPLETED", false)]
    [InlineData("queuedForLater", false)]
    public void A_status_spelled_as_the_service_spells_it_reads_through_the_clients_node_as_the_shared_wire_value(string sent, bool shared)
    {
        using var document = DeviceCommands.Client.Serialization.JsonBody.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"id":"1","status":"{{sent}}"}"""), out var careful);
        var command = DeviceCommands.Client.Serialization.JsonBody.Root(document.RootElement, careful).GetObjectValue(Command.CreateFromDiscriminatorValue);

        Assert.Equal(sent, command.RawStatus);
        Assert.Equal(shared, command.Status is { } status && ReferenceEquals(status.ToWireValue(), command.RawStatus));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("true", "true")]
    [InlineData("[1,2]", null)]
    [InlineData("{\"a\":1}", null)]
    public void A_status_that_is_not_a_string_never_throws(string value, string? raw)
    {
        var command = Read($$"""{"id":"1","status":{{value}}}""");

        Assert.Null(command.Status);
        Assert.Equal(raw, command.RawStatus);
        if (raw is null)
        {
            Assert.True(command.AdditionalData.ContainsKey("status"));
        }
    }

    [Fact]
    public void A_string_where_the_response_payload_object_is_expected_reads_as_null_and_is_kept()
    {
        var command = Read("""{"id":"1","responsePayload":"not-an-object"}""");

        Assert.Null(command.ResponsePayload);
        Assert.Equal("not-an-object", command.AdditionalData["responsePayload"]);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("false")]
    public void A_non_object_where_the_response_payload_is_expected_reads_as_null_and_is_kept(string value)
    {
        var command = Read($$"""{"id":"1","responsePayload":{{value}}}""");

        Assert.Null(command.ResponsePayload);
        Assert.IsAssignableFrom<UntypedNode>(command.AdditionalData["responsePayload"]);
    }

    [Fact]
    public void A_string_payload_from_the_generic_block_reads_and_its_text_stays_reachable()
    {
        var command = Read(Fixture.Read("send-generic-block.json"));

        var payload = Assert.IsType<UntypedString>(command.Payload);
        Assert.Equal("payload-JSON", payload.GetValue());
        Assert.Null(command.Type);
        Assert.Null(command.PostBackUri);
    }

    [Fact]
    public void A_number_where_a_string_is_expected_reads_as_its_text()
    {
        var command = Read("""{"id":12345,"type":true}""");

        Assert.Equal("12345", command.Id);
        Assert.Equal("true", command.Type);
    }

    [Fact]
    public void An_object_where_a_string_is_expected_reads_as_null_and_is_kept()
    {
        var command = Read("""{"id":"1","error":{"code":"x"}}""");

        Assert.Null(command.Error);
        Assert.IsType<UntypedObject>(command.AdditionalData["error"]);
    }

    [Fact]
    public void Unknown_properties_are_kept_in_additional_data()
    {
        var command = Read("""{"id":"1","@odata.context":"ctx","futureField":{"a":[1,2]}}""");

        Assert.Equal("ctx", command.AdditionalData["@odata.context"]);
        Assert.IsType<UntypedObject>(command.AdditionalData["futureField"]);
    }

    [Fact]
    public void LaunchUri_produces_the_send_page_body()
    {
        var json = Json.Write(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.True(Json.SameJson("""{"type":"LaunchUri","payload":{"uri":"https://bing.com/"}}""", json), json);
    }

    [Fact]
    public void AppService_produces_the_send_page_body()
    {
        var command = Command.AppService(
            "com.microsoft.test.cdppingpongservice",
            "5085ShawnHenry.RomanTestApp_jsjw7knzsgcce",
            new Dictionary<string, object?> { ["Type"] = "Toast", ["Title"] = "Hello", ["Subtitle"] = "World!" });

        Assert.True(Json.SameJson(Fixture.Read("send-appservice.json"), Json.Write(command)));
    }

    [Fact]
    public void AppService_without_a_payload_sends_an_empty_object()
    {
        var json = Json.Write(Command.AppService("svc", "pfn"));

        Assert.True(Json.SameJson("""{"type":"AppService","appServiceName":"svc","packageFamilyName":"pfn","payload":{}}""", json), json);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void AppService_refuses_a_missing_name(string? name)
    {
        Assert.ThrowsAny<ArgumentException>(() => Command.AppService(name!, "pfn"));
        Assert.ThrowsAny<ArgumentException>(() => Command.AppService("svc", name!));
    }

    [Fact]
    public void LaunchUri_refuses_a_relative_uri()
    {
        Assert.Throws<ArgumentException>(() => Command.LaunchUri(new Uri("/relative", UriKind.Relative)));
        Assert.Throws<ArgumentNullException>(() => Command.LaunchUri(null!));
    }

    [Theory]
    [InlineData("""{"a":1,"b":[true,false,null],"c":{"d":{"e":[1.5,-2,"x"]}},"f":"text"}""")]
    [InlineData("""[1,"two",{"three":3},[4]]""")]
    [InlineData("12345678901234")]
    [InlineData("3.25")]
    [InlineData("true")]
    [InlineData("\"just text\"")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void The_payload_round_trips_any_json_both_ways(string payload)
    {
        var command = Read($$"""{"id":"1","type":"AppService","payload":{{payload}}}""");
        var written = Json.Write(command);
        var again = Read(written);

        Assert.True(Json.SameJson($$"""{"id":"1","type":"AppService","payload":{{payload}}}""", written), written);
        Assert.True(Json.SameJson(written, Json.Write(again)));
    }

    [Fact]
    public void AppService_payload_values_of_every_supported_type_are_written_as_json()
    {
        var command = Command.AppService("svc", "pfn", new Dictionary<string, object?>
        {
            ["int"] = 1,
            ["long"] = 1L << 40,
            ["double"] = 1.5,
            ["decimal"] = 2.25m,
            ["bool"] = true,
            ["null"] = null,
            ["list"] = new object?[] { 1, "two", null },
            ["nested"] = new Dictionary<string, object?> { ["deep"] = new Dictionary<string, object> { ["x"] = "y" } },
            ["when"] = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero),
            ["json"] = System.Text.Json.JsonDocument.Parse("""{"k":[1,{"z":false}]}""").RootElement,
        });

        var expected = """
            {"type":"AppService","appServiceName":"svc","packageFamilyName":"pfn","payload":{
              "int":1,"long":1099511627776,"double":1.5,"decimal":2.25,"bool":true,"null":null,
              "list":[1,"two",null],"nested":{"deep":{"x":"y"}},"when":"2020-01-02T03:04:05.0000000+00:00",
              "json":{"k":[1,{"z":false}]}}}
            """;
        var json = Json.Write(command);
        Assert.True(Json.SameJson(expected, json), json);
    }

    [Fact]
    public void AppService_refuses_a_payload_value_with_no_json_form()
    {
        var error = Assert.Throws<ArgumentException>(() => Command.AppService("svc", "pfn", new Dictionary<string, object?> { ["x"] = new object() }));
        Assert.Contains("System.Object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppService_refuses_a_payload_with_a_cycle()
    {
        var list = new List<object?>();
        list.Add(list);

        Assert.Throws<ArgumentException>(() => Command.AppService("svc", "pfn", new Dictionary<string, object?> { ["x"] = list }));
    }

    [Fact]
    public void Writing_never_produces_null_strings()
    {
        var command = Read(Fixture.Read("status-null-strings.json"));
        command.Type = "null";

        var json = Json.Write(command);

        Assert.DoesNotContain("\"null\"", json, StringComparison.Ordinal);
        Assert.True(Json.SameJson("""{"id":"0","status":"requesting"}""", json), json);
    }

    [Fact]
    public void Writing_uses_the_documented_camel_case_names()
    {
        var command = Read("""{"ID":"1","Status":"executing","Type":"AppService","AppServiceName":"a","PackageFamilyName":"p","Error":"e","PermissionTicket":"t","postbackURI":"u","ResponsePayload":{"Type":"Ok"}}""");

        var json = Json.Write(command);

        Assert.True(Json.SameJson(
            """{"id":"1","status":"executing","type":"AppService","appServiceName":"a","packageFamilyName":"p","error":"e","permissionTicket":"t","postBackUri":"u","responsePayload":{"type":"Ok"}}""",
            json), json);
    }

    [Fact]
    public void Values_kept_because_they_could_not_be_typed_are_not_written_back()
    {
        var command = Read("""{"id":"1","responsePayload":"oops","Error":{"x":1},"extra":"kept"}""");

        var json = Json.Write(command);

        Assert.True(Json.SameJson("""{"id":"1","extra":"kept"}""", json), json);
    }

    [Fact]
    public void An_unknown_status_is_written_back_as_it_was_read()
    {
        var json = Json.Write(Read("""{"id":"1","status":"queuedForLater"}"""));

        Assert.True(Json.SameJson("""{"id":"1","status":"queuedForLater"}""", json), json);
    }

    [Fact]
    public void The_field_deserializers_are_a_case_insensitive_read_only_map()
    {
        var command = new Command();
        var fields = command.GetFieldDeserializers();

        Assert.True(fields.ContainsKey("STATUS"));
        Assert.True(fields.ContainsKey("responsepayload"));
        Assert.False(fields.ContainsKey("nope"));
        Assert.True(fields.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => fields.Add("x", _ => { }));
        Assert.Equal(fields.Count, fields.ToList().Count);
    }

    [Fact]
    public void Field_deserializers_looked_up_together_each_read_their_own_property()
    {
        var command = new Command();
        var fields = command.GetFieldDeserializers();
        var id = fields["id"];
        var type = fields["type"];

        using var a = System.Text.Json.JsonDocument.Parse("\"the-id\"");
        using var b = System.Text.Json.JsonDocument.Parse("\"the-type\"");
        id(new Microsoft.Kiota.Serialization.Json.JsonParseNode(a.RootElement));
        type(new Microsoft.Kiota.Serialization.Json.JsonParseNode(b.RootElement));

        Assert.Equal("the-id", command.Id);
        Assert.Equal("the-type", command.Type);
    }

    [Fact]
    public void JsonPayload_converts_a_dictionary_to_an_untyped_object()
    {
        var node = JsonPayload.FromValue(new Dictionary<string, object?> { ["a"] = 1 });

        var obj = Assert.IsType<UntypedObject>(node);
        Assert.Equal(1, Assert.IsType<UntypedInteger>(obj.GetValue()["a"]).GetValue());
    }
}
