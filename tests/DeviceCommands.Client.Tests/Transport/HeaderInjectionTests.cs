using System.Net;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// No header injection, whatever put the header on the request: a value with a control character or a non-ASCII one
/// is refused before anything is sent, with an ApiException that a wait does not take for a passing failure.
/// </summary>
public class HeaderInjectionTests
{
    [Theory]
    [InlineData("a\r\nX-Injected: 1")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("a\u0085b")]
    [InlineData("caf\u00e9")]
    public async Task A_caller_header_that_cannot_be_sent_as_it_is_is_refused_and_nothing_is_sent(string value)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"id":"c"}""");
        var client = TestClients.Created(handler, o => o.MaxRetries = 3);

        var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices["d"].Commands["c"].GetAsync(c => c.Headers.Add("X-Note", value)));

        Assert.Contains("X-Note header holds a control character", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_tab_in_an_ordinary_header_is_allowed_as_RFC_9110_says()
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.OK, """{"id":"c"}""");

        var command = await TestClients.Created(handler).Me.Devices["d"].Commands["c"].GetAsync(c => c.Headers.Add("X-Note", "a\tb"));

        Assert.Equal("c", command?.Id);
        Assert.Single(handler.Requests);
    }
}
