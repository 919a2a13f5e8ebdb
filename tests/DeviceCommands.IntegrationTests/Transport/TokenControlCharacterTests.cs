using System.Text.RegularExpressions;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.IntegrationTests.Transport;

/// <summary>
/// A token holding CR, LF or another control character is refused with an ApiException that does not carry
/// the token, and nothing reaches the server: no request, not even a connection. A GET, a POST and a wait alike (a
/// refused token is not a passing failure: the wait ends at once with it).
/// </summary>
public sealed class TokenControlCharacterTests
{
    private const string Secret = "SECRET7e1b";

    [Theory]
    [InlineData("\\r")]
    [InlineData("\\n")]
    [InlineData("\\r\\n")]
    [InlineData("\\r\\nX-Injected: 1")]
    [InlineData("\\u0000")]
    [InlineData("\\t")] // HTAB: a control character, though RFC 9110 allows it inside a field value
    [InlineData("\\u0001")]
    [InlineData("\\u001B")]
    [InlineData("\\u001F")]
    [InlineData("\\u007F")]
    [InlineData("\\u0085")] // NEL, a C1 control character (char.IsControl is true)
    [InlineData("\\u009B")] // CSI, a C1 control character
    public async Task A_token_with_a_control_character_is_refused_and_never_sent(string escaped)
    {
        var control = Regex.Unescape(escaped);
        var token = $"tok-{Secret}{control}tail";
        await using var server = RawHttpServer.Start();
        server.Otherwise(Reply.Respond(200, Answers.Requesting));

        await AssertRefusedAsync(server, TestClients.Loopback(server, new FakeCredential(token)));
    }

    private static async Task AssertRefusedAsync(RawHttpServer server, DeviceCommandsClient client)
    {
        var (getError, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync());
        var (postError, _) = await Timed.RunAsync(() => client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));
        var waited = await Timed.RunAsync(() => client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(
            new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(1), InitialDelay = TimeSpan.FromMilliseconds(100) }));

        foreach (var error in new[] { getError, postError, waited.Error })
        {
            Assert.True(error is not null, $"nothing was refused: {server.Requests.Count} request(s) reached the server, Authorization [{server.Requests.FirstOrDefault()?.Header("Authorization")?.Replace(Secret, "<secret>", StringComparison.Ordinal)}]");
            Assert.True(error is ApiException, $"expected an ApiException, got {error!.GetType().FullName}: {error.Message}");
            Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
            Assert.Contains("control character", error.Message, StringComparison.OrdinalIgnoreCase);
        }

        waited.EndedWithin(TimeSpan.Zero, TimeSpan.FromMilliseconds(500)); // it gives up on a token it can never send at once
        Assert.Empty(server.Requests);
        Assert.Equal(0, server.ConnectionsAccepted);
    }
}
