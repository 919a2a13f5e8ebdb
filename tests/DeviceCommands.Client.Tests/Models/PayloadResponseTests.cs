using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;

namespace DeviceCommands.Client.Tests.Models;

public class PayloadResponseTests
{
    private static PayloadResponse Read(string json) => Json.Read(json, PayloadResponse.CreateFromDiscriminatorValue);

    [Fact]
    public void The_example_body_reads_its_pascal_case_keys_and_us_date()
    {
        var payload = Read(Fixture.Read("payload-us-date.json"));

        Assert.Equal("Ok", payload.Type);
        Assert.Equal(0, payload.MsIgnoredParameter);
        Assert.Equal(new DateTimeOffset(2017, 4, 27, 0, 0, 0, TimeSpan.Zero), payload.CreationDate);
        Assert.Equal("https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse", payload.AdditionalData["@odata.context"]);
    }

    [Fact]
    public void The_date_time_placeholder_reads_as_null_and_is_kept()
    {
        var payload = Read(Fixture.Read("payload-placeholder-date.json"));

        Assert.Null(payload.CreationDate);
        Assert.Equal("date-time", payload.AdditionalData["CreationDate"]);
        Assert.Equal("Ok", payload.Type);
    }

    [Theory]
    [InlineData("2017-04-27T10:11:12Z", 2017, 4, 27, 10, 11, 12)]
    [InlineData("2017-04-27T10:11:12+02:00", 2017, 4, 27, 8, 11, 12)]
    [InlineData("2017-04-27", 2017, 4, 27, 0, 0, 0)]
    [InlineData("4/7/2017", 2017, 4, 7, 0, 0, 0)]
    [InlineData("12/31/2019", 2019, 12, 31, 0, 0, 0)]
    public void Dates_read_in_iso_8601_and_us_format(string text, int y, int mo, int d, int h, int mi, int s)
    {
        var payload = Read($$"""{"CreationDate":"{{text}}"}""");

        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero), payload.CreationDate?.ToUniversalTime());
    }

    [Theory]
    [InlineData("\"31/12/2019\"")]
    [InlineData("\"null\"")]
    [InlineData("\"\"")]
    [InlineData("12345")]
    [InlineData("{}")]
    public void A_date_that_is_not_a_date_reads_as_null_without_throwing(string value)
    {
        Assert.Null(Read($$"""{"creationDate":{{value}}}""").CreationDate);
    }

    [Theory]
    [InlineData("\"5\"", 5)]
    [InlineData("5", 5)]
    [InlineData("5.0", 5)]
    [InlineData("\"null\"", null)]
    [InlineData("1.5", null)]
    [InlineData("1e40", null)]
    [InlineData("\"abc\"", null)]
    [InlineData("[1]", null)]
    [InlineData("true", null)]
    public void A_number_reads_from_a_number_or_a_string_and_never_throws(string value, int? expected)
    {
        Assert.Equal(expected, Read($$"""{"MsIgnoredParameter":{{value}}}""").MsIgnoredParameter);
    }

    [Fact]
    public void A_value_wrapper_reads_as_the_payload()
    {
        var payload = Read("""{"value":{"Type":"Ok","CreationDate":"04/27/2017"}}""");

        Assert.Equal("Ok", payload.Type);
        Assert.NotNull(payload.CreationDate);
    }

    [Fact]
    public void Writing_uses_camel_case_and_iso_dates()
    {
        var json = Json.Write(Read(Fixture.Read("payload-us-date.json")));

        Assert.True(Json.SameJson(
            """{"type":"Ok","creationDate":"2017-04-27T00:00:00+00:00","msIgnoredParameter":0,"@odata.context":"https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse"}""",
            json), json);
    }

    [Fact]
    public void The_app_service_echo_is_kept_in_additional_data()
    {
        var payload = Read("""{"Type":"Ok","Title":"Hello","Nested":{"a":[1,2]}}""");

        Assert.Equal("Hello", payload.AdditionalData["Title"]);
        Assert.True(payload.AdditionalData.ContainsKey("Nested"));
    }
}
