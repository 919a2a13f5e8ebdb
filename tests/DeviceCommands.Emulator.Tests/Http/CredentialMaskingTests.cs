using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests.Http;

/// <summary>The recorded requests mask the credential in every spelling of its header, in the API and in the admin route.</summary>
public sealed class CredentialMaskingTests
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("Authorization: Bearer SECRET-1")]
    [InlineData("authorization: Bearer SECRET-1")]
    [InlineData("AUTHORIZATION: bearer SECRET-1")]
    [InlineData("Authorization:    Bearer    SECRET-1   ")]
    [InlineData("Authorization: Bearer\tSECRET-1")]
    [InlineData("Authorization: SECRET-1")]
    [InlineData("Authorization: Basic U0VDUkVULTE=:SECRET-1")]
    [InlineData("Proxy-Authorization: Bearer SECRET-1")]
    [InlineData("proxy-authorization: SECRET-1")]
    [InlineData("Authorization: Bearer a", "Authorization: Bearer SECRET-1")]
    public async Task GetRequests_OverARawSocket_MasksTheCredential_InEverySpelling_AndInTheAdminRoute(params string[] headers)
    {
        await using TestEmulator emu = await StartAsync(o => o.RequireToken = true);

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            RawHttpClient.Request("GET", "/beta/me/devices", emu.Emulator.BaseUrl.Authority, [], headers), AnswerTimeout);
        using HttpResponseMessage log = await emu.Http.GetAsync("/_emulator/requests");
        string json = await log.Content.ReadAsStringAsync();

        Assert.NotNull(response);
        RecordedRequest recorded = Assert.Single(emu.Emulator.GetRequests());
        Assert.DoesNotContain(recorded.Headers.Values, v => v.Contains("SECRET", StringComparison.OrdinalIgnoreCase) || v.Contains("U0VDUkVU", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", json, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("***", recorded.Headers[headers[0].Split(':')[0]], StringComparison.Ordinal);
    }
}
