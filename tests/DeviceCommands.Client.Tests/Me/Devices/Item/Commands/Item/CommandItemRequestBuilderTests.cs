using System.Net;
using System.Text;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using RichardSzalay.MockHttp;

namespace DeviceCommands.Client.Tests.Me.Devices.Item.Commands.Item;

public class CommandItemRequestBuilderTests
{
    public static TheoryData<string, bool> StatusBodiesThroughBothAdapters()
    {
        var data = new TheoryData<string, bool>();
        foreach (var body in Fixture.StatusBodies)
        {
            data.Add(body, true);
            data.Add(body, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatusBodiesThroughBothAdapters))]
    public async Task GetAsync_reads_each_reference_status_body(string fixture, bool stockAdapter)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, Fixture.Read(fixture));

        var command = await TestClients.StockOrCreated(recorder.Handler, stockAdapter).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.NotNull(command);
        Assert.NotNull(command.Id);
        Assert.NotNull(command.Status);
        Assert.Null(command.Type);
        Assert.Equal(HttpMethod.Get, recorder.Single.Method);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/d/commands/c", recorder.Single.Uri.AbsoluteUri);
        Assert.Equal("application/json", recorder.Single.Headers["Accept"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_quirk_at_once_reads_through_either_adapter(bool stockAdapter)
    {
        const string body = """
            {"value":{"ID":"x","Status":"brandNewStatus","type":"null","ResponsePayload":{"Type":"Ok","CreationDate":"date-time","MsIgnoredParameter":"3"},
             "payload":"payload-JSON","postbackURI":"null","extra":[1,[2,3]]}}
            """;
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, body);

        var command = await TestClients.StockOrCreated(recorder.Handler, stockAdapter).Me.Devices["d"].Commands["c"].GetAsync();

        Assert.NotNull(command);
        Assert.Equal("x", command.Id);
        Assert.Null(command.Status);
        Assert.Equal("brandNewStatus", command.RawStatus);
        Assert.Null(command.Type);
        Assert.Null(command.PostBackUri);
        Assert.Equal("Ok", command.ResponsePayload?.Type);
        Assert.Null(command.ResponsePayload?.CreationDate);
        Assert.Equal(3, command.ResponsePayload?.MsIgnoredParameter);
        Assert.Equal("payload-JSON", Assert.IsType<UntypedString>(command.Payload).GetValue());
        var extra = Assert.IsType<UntypedArray>(command.AdditionalData["extra"]);
        Assert.Equal(2, extra.GetValue().Count());
        Assert.Equal(2, Assert.IsType<UntypedArray>(extra.GetValue().Last()).GetValue().Count());
    }

    [Theory]
    [InlineData("a/b?c#d", "a%2Fb%3Fc%23d")]
    [InlineData("with space", "with%20space")]
    [InlineData("100%", "100%25")]
    [InlineData("..", "%2E%2E")]
    [InlineData(".", "%2E")]
    [InlineData("x..y", "x..y")]
    [InlineData("ünï©ødé", "%C3%BCn%C3%AF%C2%A9%C3%B8d%C3%A9")]
    [InlineData("line\r\nX-Injected: 1", "line%0D%0AX-Injected%3A%201")]
    [InlineData("0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266â€¦", "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266%C3%A2%E2%82%AC%C2%A6")]
    public async Task Ids_are_sent_as_one_percent_encoded_path_segment(string id, string encoded)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"1","status":"executing"}""");
        var client = TestClients.Created(recorder.Handler);

        await client.Me.Devices[id].Commands[id].GetAsync();
        await client.Me.Devices[id].Commands[id].ResponsePayload.GetAsync();

        Assert.Equal($"/beta/me/devices/{encoded}/commands/{encoded}", recorder.Requests[0].Uri.AbsolutePath);
        Assert.Equal($"/beta/me/devices/{encoded}/commands/{encoded}/responsePayload", recorder.Requests[1].Uri.AbsolutePath);
        Assert.All(recorder.Requests, r => Assert.DoesNotContain("X-Injected", r.Headers.Keys));
    }

    [Fact]
    public void A_dot_segment_id_keeps_its_place_in_the_request_information()
    {
        var client = TestClients.Created(new MockHttpMessageHandler());

        var request = client.Me.Devices[".."].Commands["c"].ToGetRequestInformation();

        Assert.Equal("https://graph.microsoft.com/beta/me/devices/%2E%2E/commands/c", request.URI.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void A_missing_id_throws_ArgumentException_before_anything_is_sent(string? id)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var client = TestClients.Created(recorder.Handler);

        Assert.ThrowsAny<ArgumentException>(() => client.Me.Devices[id!]);
        Assert.ThrowsAny<ArgumentException>(() => client.Me.Devices["d"].Commands[id!]);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public void An_id_that_is_not_valid_unicode_throws_ArgumentException_rather_than_being_changed()
    {
        var client = TestClients.Created(new MockHttpMessageHandler());

        foreach (var id in new[] { "a" + (char)0xD800 + "b", ((char)0xDC00).ToString(), "x" + (char)0xD800 })
        {
            Assert.Throws<ArgumentException>(() => client.Me.Devices[id]);
            Assert.Throws<ArgumentException>(() => client.Me.Devices["d"].Commands[id]);
        }
    }

    [Fact]
    public async Task A_builder_sends_the_same_url_every_time_it_is_used()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"1"}""");
        var builder = TestClients.Created(recorder.Handler).Me.Devices[".."].Commands["c/1"];

        await builder.GetAsync();
        await builder.GetAsync();
        builder.ToGetRequestInformation();
        await builder.GetAsync();

        Assert.All(recorder.Requests, r => Assert.Equal("/beta/me/devices/%2E%2E/commands/c%2F1", r.Uri.AbsolutePath));
    }

    [Fact]
    public void An_id_too_long_for_a_url_throws_ArgumentException()
    {
        var client = TestClients.Created(new MockHttpMessageHandler());

        Assert.Throws<ArgumentException>(() => client.Me.Devices[new string('é', 10_000)]);
    }

    [Fact]
    public async Task A_long_id_within_the_limit_is_sent_whole()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"1"}""");
        var id = new string('a', 5000);

        await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands[id].GetAsync();

        Assert.EndsWith("/commands/" + id, recorder.Single.Uri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void ToGetRequestInformation_builds_the_request_without_sending_it()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var builder = TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"];

        var request = builder.ToGetRequestInformation(c => c.Headers.Add("x-test", "1"));

        Assert.Equal(Method.GET, request.HttpMethod);
        Assert.Equal("{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}", request.UrlTemplate);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/d/commands/c", request.URI.AbsoluteUri);
        Assert.Contains("1", request.Headers["x-test"]);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task WithUrl_sends_to_the_raw_url()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"c","status":"completed"}""");
        var builder = TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"];

        var command = await builder.WithUrl("https://graph.microsoft.com/beta/me/devices/x/commands/y").GetAsync();

        Assert.Equal(ActionStatus.Completed, command?.Status);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/x/commands/y", recorder.Single.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_headers_inspection_option_receives_the_answers_headers()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"c"}""", configure: r => r.Headers.Add("Retry-After", "7"));
        var option = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };

        await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync(c => c.Options.Add(option));

        Assert.Equal(["7"], option.ResponseHeaders["Retry-After"]);
    }

    [Fact]
    public async Task An_empty_success_body_reads_as_null()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.NoContent, null);

        Assert.Null(await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync());
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TestClients.Created(recorder.Handler).Me.Devices["d"].Commands["c"].GetAsync(cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_built_from_a_builder_is_its_own_so_changing_it_leaves_the_builder_alone(bool stock)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var builder = TestClients.StockOrCreated(recorder.Handler, stock).Me.Devices["d1"].Commands["c1"];

        var request = builder.ToGetRequestInformation();
        request.PathParameters["command%2Did"] = "other";
        request.URI = new Uri("https://graph.microsoft.com/beta/elsewhere");
        await builder.GetAsync(c => c.Headers.Add("x-test", "1"));

        Assert.Equal("/beta/me/devices/d1/commands/c1", recorder.Single.Uri.AbsolutePath);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task One_builder_can_send_from_many_threads_at_once(bool stock)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"id":"c1","status":"executing"}""");
        var client = TestClients.StockOrCreated(recorder.Handler, stock);
        var builder = client.Me.Devices["d1"].Commands["c1"];

        var commands = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => i % 2 == 0
            ? builder.GetAsync(c => c.Headers.Add("x-test", "1"))
            : client.Me.Devices["d1"].Commands["c1"].GetAsync())));

        Assert.All(commands, c => Assert.Equal(ActionStatus.Executing, c?.Status));
        Assert.All(recorder.Requests, r => Assert.Equal("/beta/me/devices/d1/commands/c1", r.Uri.AbsolutePath));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_request_from_the_chain_carries_Kiotas_path_parameters_and_template(bool stock)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var commands = TestClients.StockOrCreated(recorder.Handler, stock).Me.Devices["d/1"].Commands;

        var get = commands["c 1"].ToGetRequestInformation();
        var post = commands.ToPostRequestInformation(new Command());
        var payload = commands["c 1"].ResponsePayload.ToGetRequestInformation();

        Assert.Equal("{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}", get.UrlTemplate);
        Assert.Equal(["baseurl", "command%2Did", "device%2Did"], get.PathParameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["https://graph.microsoft.com/beta", "d/1", "c 1"], [get.PathParameters["baseurl"], get.PathParameters["device%2Did"], get.PathParameters["command%2Did"]]);
        Assert.Equal(["baseurl", "device%2Did"], post.PathParameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/d%2F1/commands/c%201/responsePayload", payload.URI.AbsoluteUri);
    }
}
