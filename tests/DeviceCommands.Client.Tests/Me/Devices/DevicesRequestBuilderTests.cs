using System.Net;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Me.Devices;

public class DevicesRequestBuilderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetAsync_reads_the_pascal_case_list_example(bool stock)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, Fixture.Read("devices-pascal-case.json"));
        var client = stock ? TestClients.Stock(recorder.Handler) : TestClients.Created(recorder.Handler);

        var list = await client.Me.Devices.GetAsync();

        var device = Assert.Single(list!.Value!);
        Assert.Equal("JimSurface", device.Name);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices", recorder.Single.Uri.AbsoluteUri);
        Assert.Equal(HttpMethod.Get, recorder.Single.Method);
    }

    [Fact]
    public async Task A_next_link_is_followed_with_WithUrl()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, """{"value":[{"id":"2"}]}""");
        var client = TestClients.Created(recorder.Handler);

        var page = await client.Me.Devices.WithUrl("https://graph.microsoft.com/beta/me/devices?$skiptoken=abc").GetAsync();

        Assert.Equal("2", Assert.Single(page!.Value!).Id);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices?$skiptoken=abc", recorder.Single.Uri.AbsoluteUri);
    }

    [Fact]
    public void ToGetRequestInformation_uses_the_kiota_template()
    {
        var request = TestClients.Created(new RichardSzalay.MockHttp.MockHttpMessageHandler()).Me.Devices.ToGetRequestInformation();

        Assert.Equal(Method.GET, request.HttpMethod);
        Assert.Equal("{+baseurl}/me/devices", request.UrlTemplate);
    }
}
