using System.Net;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Me.Devices.Item.Commands;

public class CommandsRequestBuilderTests
{
    private const string Created = """{"id":"0158355AD4D680CC","status":"requesting","type":"LaunchUri","payload":{"uri":"https://bing.com/"}}""";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostAsync_sends_the_launch_uri_body_and_reads_the_created_command(bool stock)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, Created);
        var client = stock ? TestClients.Stock(recorder.Handler) : TestClients.Created(recorder.Handler);

        var command = await client.Me.Devices["device-1"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal("0158355AD4D680CC", command?.Id);
        Assert.Equal(ActionStatus.Requesting, command?.Status);
        var sent = recorder.Single;
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/device-1/commands", sent.Uri.AbsoluteUri);
        Assert.True(Json.SameJson("""{"type":"LaunchUri","payload":{"uri":"https://bing.com/"}}""", sent.Body!), sent.Body);
    }

    [Fact]
    public async Task PostAsync_sends_the_app_service_body()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, Created);
        var command = Command.AppService("com.microsoft.test.cdppingpongservice", "5085ShawnHenry.RomanTestApp_jsjw7knzsgcce",
            new Dictionary<string, object?> { ["Type"] = "Toast", ["Title"] = "Hello", ["Subtitle"] = "World!" });

        await TestClients.Created(recorder.Handler).Me.Devices["d"].Commands.PostAsync(command);

        Assert.True(Json.SameJson(Fixture.Read("send-appservice.json"), recorder.Single.Body!));
    }

    [Fact]
    public void ToPostRequestInformation_carries_a_json_body_without_sending()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.Created, Created);
        var request = TestClients.Created(recorder.Handler).Me.Devices["d"].Commands.ToPostRequestInformation(new Command { Type = "LaunchUri" });

        Assert.Equal(Method.POST, request.HttpMethod);
        Assert.Equal("{+baseurl}/me/devices/{device%2Did}/commands", request.UrlTemplate);
        Assert.Contains("application/json", request.Headers["Content-Type"]);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public void ToPostRequestInformation_refuses_a_null_body()
    {
        var client = TestClients.Created(new RichardSzalay.MockHttp.MockHttpMessageHandler());

        Assert.Throws<ArgumentNullException>(() => client.Me.Devices["d"].Commands.ToPostRequestInformation(null!));
    }

    [Fact]
    public async Task A_rejected_post_throws_an_ODataError()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.BadRequest, """{"error":{"code":"BadRequest","message":"uri is required"}}""");

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            TestClients.Created(recorder.Handler).Me.Devices["d"].Commands.PostAsync(new Command { Type = "LaunchUri" }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("uri is required", error.Error?.Message);
    }
}
