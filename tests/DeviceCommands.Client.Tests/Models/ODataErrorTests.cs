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
        Assert.Equal("ResourceNotFound: The device was not found. (HTTP 404)", error.Message);
        Assert.IsAssignableFrom<ApiException>(error);
    }

    [Fact]
    public void The_message_says_the_status_when_there_is_nothing_else()
    {
        Assert.Equal("The service returned HTTP 502.", new ODataError { ResponseStatusCode = 502 }.Message);
        Assert.Equal("The service returned an error.", new ODataError().Message);
        Assert.Equal("boom (HTTP 500)", new ODataError("boom") { ResponseStatusCode = 500 }.Message);
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
