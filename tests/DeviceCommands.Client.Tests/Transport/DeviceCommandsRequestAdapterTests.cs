using System.Net;
using System.Text;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Transport;

/// <summary>
/// The adapter behind <see cref="DeviceCommandsClient.Create"/>: a GET with no configuration goes straight to an
/// HttpRequestMessage, one with configuration through Kiota's RequestInformation, and both send the same request,
/// get the same token (also after a continuous-access-evaluation challenge) and read the same way.
/// </summary>
public class DeviceCommandsRequestAdapterTests
{
    private const string Claims = """{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}""";

    private static readonly string Challenge =
        $"Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(Claims))}\"";

    /// <summary>Each GET of the package, sent with no configuration (direct) or with an empty one (through RequestInformation).</summary>
    public static TheoryData<string, bool> Gets()
    {
        var data = new TheoryData<string, bool>();
        foreach (var get in new[] { "devices", "command", "payload" })
        {
            data.Add(get, true);
            data.Add(get, false);
        }

        return data;
    }

    private static Task Get(DeviceCommandsClient client, string get, bool direct, string deviceId = "d1", string commandId = "c1")
    {
        Action<RequestConfiguration<DefaultQueryParameters>>? configure = direct ? null : _ => { };
        return get switch
        {
            "devices" => client.Me.Devices.GetAsync(configure),
            "command" => client.Me.Devices[deviceId].Commands[commandId].GetAsync(configure),
            _ => client.Me.Devices[deviceId].Commands[commandId].ResponsePayload.GetAsync(configure),
        };
    }

    [Theory]
    [InlineData("d1", "c1")]
    [InlineData(".", "..")]
    [InlineData("a/b?c#d", "é 中 🚀")]
    [InlineData("%2E%2E", "x\r\nAuthorization: evil")]
    public async Task A_GET_without_configuration_sends_the_same_request_as_one_through_RequestInformation(string deviceId, string commandId)
    {
        foreach (var get in new[] { "devices", "command", "payload" })
        {
            var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
            var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler, MaxRetries = 0 });

            await Get(client, get, direct: true, deviceId, commandId);
            await Get(client, get, direct: false, deviceId, commandId);

            Assert.Equal(2, recorder.Requests.Count);
            var (direct, kiota) = (recorder.Requests[0], recorder.Requests[1]);
            Assert.Equal(kiota.Method, direct.Method);
            Assert.Equal(kiota.Uri.AbsoluteUri, direct.Uri.AbsoluteUri);
            Assert.Equal(kiota.Uri.OriginalString, direct.Uri.OriginalString);
            Assert.Equal(
                kiota.Headers.Where(h => h.Key != "client-request-id").OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase),
                direct.Headers.Where(h => h.Key != "client-request-id").OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase));
            Assert.Equal($"Bearer {FakeCredential.Token}", direct.Headers["Authorization"]);
            Assert.Equal("application/json", direct.Headers["Accept"]);
        }
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_401_that_names_claims_is_sent_once_more_with_a_token_for_those_claims(string get, bool direct)
    {
        var credential = new FakeCredential();
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.Unauthorized, "", r => r.Headers.TryAddWithoutValidation("WWW-Authenticate", Challenge))
            .Always(HttpStatusCode.OK, "{}");
        var client = DeviceCommandsClient.Create(credential, new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0 });

        await Get(client, get, direct);

        Assert.Equal([$"Bearer {FakeCredential.Token}", $"Bearer {FakeCredential.ClaimsToken}"], handler.Requests.Select(r => r.Authorization));
        Assert.Equal([null, Claims], credential.Claims);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_second_claims_challenge_is_the_caller_s_401_error_not_a_loop(string get, bool direct)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.Unauthorized, """{"error":{"code":"InvalidAuthenticationToken","message":"no"}}""",
            r => r.Headers.TryAddWithoutValidation("WWW-Authenticate", Challenge));
        var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(client, get, direct));

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", error.Error?.Code);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_401_without_claims_is_not_sent_again(string get, bool direct)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.Unauthorized, "", r => r.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"graph\""));
        var client = DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(client, get, direct));

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task Without_a_credential_no_Authorization_header_is_sent(string get, bool direct)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler });

        await Get(client, get, direct);

        Assert.DoesNotContain("Authorization", recorder.Single.Headers.Keys);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_body_the_parser_cannot_read_is_an_ApiException_with_the_status_on_either_path(string get, bool direct)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{\"id\":");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler });

        var error = await Assert.ThrowsAsync<ApiException>(() => Get(client, get, direct));

        Assert.IsNotType<ODataError>(error);
        Assert.Equal(200, error.ResponseStatusCode);
    }
}
