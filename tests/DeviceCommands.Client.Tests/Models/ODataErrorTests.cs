using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Models;

public class ODataErrorTests
{
    [Fact]
    public void An_odata_error_body_reads_its_code_and_message()
    {
        var error = Json.Read(Fixture.Read("odata-error.json"), ODataError.CreateFromDiscriminatorValue);
        error.ResponseStatusCode = 404;

        Assert.Equal("ResourceNotFound", error.Error?.Code);
        Assert.Equal("The device was not found.", error.Error?.Message);
        Assert.Equal("ResourceNotFound: The device was not found (HTTP 404).", error.Message);
        Assert.IsAssignableFrom<ApiException>(error);
    }

    [Fact]
    public void The_message_says_the_status_when_there_is_nothing_else()
    {
        Assert.Equal("The service returned HTTP 502.", new ODataError { ResponseStatusCode = 502 }.Message);
        Assert.Equal("The service returned an error.", new ODataError().Message);
        Assert.Equal("boom (HTTP 500).", new ODataError("boom") { ResponseStatusCode = 500 }.Message);
    }

    [Fact]
    public async Task A_message_that_names_the_status_already_does_not_say_it_twice()
    {
        var recorder = DeviceCommands.TestSupport.MockHttpRecorder.Answering(System.Net.HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html");
        var client = DeviceCommands.TestSupport.TestClients.Created(recorder.Handler);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Equal("The service returned HTTP 502 (Bad Gateway) with a text/html body that is not an OData error.", error.Message);
    }

    [Theory]
    [InlineData("The device is offline.")]
    [InlineData("The device is offline")]
    [InlineData("The device is offline.  ")]
    public void A_message_ends_with_one_full_stop_whatever_the_service_sent(string text)
    {
        var error = new ODataError { ResponseStatusCode = 404, Error = new MainError { Code = "Gone", Message = text } };

        Assert.Equal("Gone: The device is offline (HTTP 404).", error.Message);
    }

    [Fact]
    public void An_error_body_in_pascal_case_with_null_strings_reads()
    {
        var error = Json.Read("""{"Error":{"Code":"Throttled","Message":"null","innerError":{"date":"x"}}}""", ODataError.CreateFromDiscriminatorValue);

        Assert.Equal("Throttled", error.Error?.Code);
        Assert.Null(error.Error?.Message);
        Assert.True(error.Error!.AdditionalData.ContainsKey("innerError"));
    }
}
