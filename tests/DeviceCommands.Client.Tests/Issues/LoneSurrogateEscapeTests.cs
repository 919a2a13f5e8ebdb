using System.Net;
using System.Text;
using DeviceCommands.Client.Tests.Serialization;

namespace DeviceCommands.Client.Tests.Issues;

/// <summary>
/// Found by the property tests: a string escaping a lone surrogate (<c>"\ud800"</c>, valid JSON that .NET cannot read
/// as a string), even in a property the model does not know, made the whole read fail, losing the command's status.
/// </summary>
public class LoneSurrogateEscapeTests
{
    [Theory]
    [InlineData("{\"id\":\"c1\",\"status\":\"completed\",\"\\udfff\":1}")]
    [InlineData("{\"id\":\"c1\",\"status\":\"completed\",\"extra\":{\"\\ud800\":\"x\"}}")]
    [InlineData("{\"id\":\"c1\",\"status\":\"completed\",\"extra\":[\"a\\ud800b\"]}")]
    [InlineData("{\"id\":\"c1\",\"status\":\"completed\",\"payload\":{\"k\":\"\\udc00\\ud800\"}}")]
    public async Task A_lone_surrogate_anywhere_does_not_lose_the_command(string body)
    {
        var handler = new AnswerHandler { Respond = _ => AnswerHandler.Json(HttpStatusCode.OK, Encoding.UTF8.GetBytes(body)) };

        foreach (var (_, client) in handler.Clients())
        {
            var command = await client.Me.Devices["d"].Commands["c"].GetAsync();

            Assert.Equal("c1", command?.Id);
            Assert.Equal(DeviceCommands.Client.Models.ActionStatus.Completed, command?.Status);
        }
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_typed_string_reads_as_the_replacement_character()
    {
        var handler = new AnswerHandler { Respond = _ => AnswerHandler.Json(HttpStatusCode.OK, "{\"id\":\"a\\ud800b\\ud83d\\ude80\"}"u8.ToArray()) };

        foreach (var (_, client) in handler.Clients())
        {
            Assert.Equal("a\uFFFDb🚀", (await client.Me.Devices["d"].Commands["c"].GetAsync())?.Id);
        }
    }
}
