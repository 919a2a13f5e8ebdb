using System.Net;
using DeviceCommands.Client.Tests.TestSupport;

namespace DeviceCommands.Client.Tests.Me.Devices.Item.Commands.Item.ResponsePayload;

public class ResponsePayloadRequestBuilderTests
{
    [Theory]
    [InlineData("payload-us-date.json", true, true)]
    [InlineData("payload-us-date.json", false, true)]
    [InlineData("payload-placeholder-date.json", true, false)]
    [InlineData("payload-placeholder-date.json", false, false)]
    public async Task GetAsync_reads_both_reference_payload_bodies(string fixture, bool stock, bool hasDate)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, Fixture.Read(fixture));
        var client = stock ? TestClients.Stock(recorder.Handler) : TestClients.Created(recorder.Handler);

        var payload = await client.Me.Devices["d"].Commands["c"].ResponsePayload.GetAsync();

        Assert.Equal("Ok", payload?.Type);
        Assert.Equal(0, payload?.MsIgnoredParameter);
        Assert.Equal(hasDate, payload?.CreationDate is not null);
        Assert.Equal("https://graph.microsoft.com/beta/me/devices/d/commands/c/responsePayload", recorder.Single.Uri.AbsoluteUri);
    }

    [Fact]
    public void ToGetRequestInformation_uses_the_kiota_template()
    {
        var client = TestClients.Created(new RichardSzalay.MockHttp.MockHttpMessageHandler());

        var request = client.Me.Devices["d"].Commands["c"].ResponsePayload.ToGetRequestInformation();

        Assert.Equal("{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}/responsePayload", request.UrlTemplate);
    }
}
