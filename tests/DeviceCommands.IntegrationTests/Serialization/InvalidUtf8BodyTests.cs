using System.Text;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.IntegrationTests.Serialization;

/// <summary>
/// Bad bytes drop only what they touch. The POST's 201 with a BOM or an invalid UTF-8 byte somewhere else
/// still gives the created command's id; an id the client cannot send back ends SendAndWaitAsync with an ApiException.
/// </summary>
public sealed class InvalidUtf8BodyTests
{
    private static byte[] Body(string kind)
    {
        // 0xFF is never valid in UTF-8; 0xC3 0x28 is a broken two-byte sequence
        return kind switch
        {
            "bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"id\":\"c1\",\"status\":\"completed\"}")],
            "bad-byte-in-unknown-name" => [.. "{\"id\":\"c1\",\"x"u8, 0xFF, .. "y\":\"v\",\"status\":\"completed\"}"u8],
            "bad-byte-in-unknown-value" => [.. "{\"id\":\"c1\",\"unknown\":\"a"u8, 0xFF, .. "b\",\"status\":\"completed\"}"u8],
            "broken-sequence-in-unknown-value" => [.. "{\"status\":\"completed\",\"unknown\":\"a"u8, 0xC3, 0x28, .. "b\",\"id\":\"c1\"}"u8],
            "bad-byte-in-type-value" => [.. "{\"id\":\"c1\",\"type\":\"Launch"u8, 0xFF, .. "Uri\",\"status\":\"completed\"}"u8],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [InlineData("bom")]
    [InlineData("bad-byte-in-unknown-name")]
    [InlineData("bad-byte-in-unknown-value")]
    [InlineData("broken-sequence-in-unknown-value")]
    [InlineData("bad-byte-in-type-value")]
    public async Task The_id_of_a_created_command_is_read_past_bytes_that_are_not_UTF_8(string kind)
    {
        await using var server = RawHttpServer.Start();
        server.Enqueue(Answers.RawResponse(201, "Created", Body(kind)), Answers.RawResponse(201, "Created", Body(kind)));
        var client = TestClients.Loopback(server);

        var posted = await client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com")));
        var waited = await client.Me.Devices["d"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal("c1", posted?.Id);
        Assert.Equal(ActionStatus.Completed, posted?.Status);
        Assert.Equal("c1", waited.Command.Id);
        Assert.Equal(ActionStatus.Completed, waited.Status);
        Assert.Equal(0, waited.Polls);
        Assert.Equal(2, server.Count("POST"));
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData("bom")]
    [InlineData("bad-byte-in-message")]
    public async Task An_error_body_with_bad_bytes_still_gives_its_status_and_code(string kind)
    {
        byte[] body = kind == "bom"
            ? [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Answers.ODataErrorBody)]
            : [.. "{\"error\":{\"code\":\"someCode\",\"message\":\"bad "u8, 0xFF, .. " byte\"}}"u8];
        await using var server = RawHttpServer.Start();
        server.Enqueue(Answers.RawResponse(404, "Not Found", body));
        var client = TestClients.Loopback(server);

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        var odata = Assert.IsType<ODataError>(error);
        Assert.Equal(404, odata.ResponseStatusCode);
        Assert.Equal("someCode", odata.Error?.Code);
    }

    [Fact]
    public async Task A_wait_reads_the_status_of_a_poll_answer_that_starts_with_a_BOM()
    {
        await using var server = RawHttpServer.Start();
        server.Otherwise(Answers.RawResponse(200, "OK", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Answers.Completed)]));
        var client = TestClients.Loopback(server);

        var result = await client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal(1, result.Polls);
    }

    [Theory]
    [InlineData("16385 letters")]
    [InlineData("6000 slashes")] // 6,000 characters, 18,000 once encoded
    [InlineData("lone surrogate")]
    public async Task SendAndWait_given_an_id_it_cannot_send_back_throws_an_ApiException_and_sends_no_GET(string kind)
    {
        var idJson = kind switch
        {
            "16385 letters" => new string('a', 16 * 1024 + 1),
            "6000 slashes" => new string('/', 6000),
            _ => "ab\\uD800cd",
        };
        await using var server = RawHttpServer.Start();
        server.Enqueue(Reply.Respond(201, "{\"id\":\"" + idJson + "\",\"status\":\"requesting\"}"));
        server.Otherwise(Reply.Respond(200, Answers.Completed));
        var client = TestClients.Loopback(server);

        var (error, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com"))));

        Assert.NotNull(error);
        Assert.IsNotType<ArgumentException>(error);
        Assert.IsAssignableFrom<ApiException>(error);
        Assert.Equal(1, server.Count("POST"));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendAndWait_given_an_id_of_exactly_16384_characters_polls_it()
    {
        var id = new string('a', 16 * 1024);
        await using var server = RawHttpServer.Start();
        server.Enqueue(Reply.Respond(201, "{\"id\":\"" + id + "\",\"status\":\"requesting\"}"));
        server.Otherwise(Reply.Respond(200, "{\"id\":\"" + id + "\",\"status\":\"completed\"}"));
        var client = TestClients.Loopback(server);

        var result = await client.Me.Devices["d"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")));

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal("/beta/me/devices/d/commands/" + id, server.Requests[1].Target);
    }
}
