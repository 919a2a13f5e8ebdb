using System.Net;
using System.Text;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests;

/// <summary>
/// The client that <see cref="ClientPipeline"/> puts together for <see cref="DeviceCommandsClient.Create"/>: every GET
/// of the package gets the credential's token, also after a continuous-access-evaluation challenge, and reads the
/// same way.
/// </summary>
public class ClientPipelineTests
{
    private const string Claims = """{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}""";

    private static readonly string Challenge =
        $"Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(Claims))}\"";

    /// <summary>Each GET of the package.</summary>
    public static TheoryData<string> Gets() => new("devices", "command", "payload");

    private static Task Get(DeviceCommandsClient client, string get) => get switch
    {
        "devices" => client.Me.Devices.GetAsync(),
        "command" => client.Me.Devices["d1"].Commands["c1"].GetAsync(),
        _ => client.Me.Devices["d1"].Commands["c1"].ResponsePayload.GetAsync(),
    };

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_401_that_names_claims_is_sent_once_more_with_a_token_for_those_claims(string get)
    {
        var credential = new FakeCredential();
        var handler = new ScriptedHandler()
            .Answer(HttpStatusCode.Unauthorized, "", ("WWW-Authenticate", Challenge))
            .Always(HttpStatusCode.OK, "{}");

        await Get(TestClients.Created(handler, credential: credential), get);

        Assert.Equal([$"Bearer {FakeCredential.Token}", $"Bearer {FakeCredential.ClaimsToken}"], handler.Requests.Select(r => r.Authorization));
        Assert.Equal([null, Claims], credential.Claims);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_second_claims_challenge_is_the_caller_s_401_error_not_a_loop(string get)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.Unauthorized, """{"error":{"code":"InvalidAuthenticationToken","message":"no"}}""",
            r => r.Headers.TryAddWithoutValidation("WWW-Authenticate", Challenge));

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(TestClients.Created(handler, credential: new FakeCredential()), get));

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", error.Error?.Code);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_401_without_claims_is_not_sent_again(string get)
    {
        var handler = new ScriptedHandler().Always(HttpStatusCode.Unauthorized, "", r => r.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"graph\""));

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(TestClients.Created(handler, credential: new FakeCredential()), get));

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task Without_a_credential_no_Authorization_header_is_sent(string get)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler });

        await Get(client, get);

        Assert.DoesNotContain("Authorization", recorder.Single.Headers.Keys);
    }

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task A_body_the_parser_cannot_read_is_an_ApiException_with_the_status(string get)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{\"id\":");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler });

        var error = await Assert.ThrowsAsync<ApiException>(() => Get(client, get));

        Assert.IsNotType<ODataError>(error);
        Assert.Equal(200, error.ResponseStatusCode);
    }
}
