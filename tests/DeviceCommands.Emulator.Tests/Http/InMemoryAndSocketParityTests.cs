using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests.Http;

/// <summary>Odd requests (an encoded NUL, a lying Content-Length, a huge id or headers, unusual methods) get the same answer in memory as over a socket, never a 500.</summary>
public sealed class InMemoryAndSocketParityTests
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("/beta/me/devices/%00")]
    [InlineData("/beta/me/devices/emu-laptop/commands/%00")]
    [InlineData("/_emulator/devices/%00")]
    [InlineData("/beta/me/devices/a%00b/commands")]
    public async Task APathHoldingAnEncodedNul_IsRefused400_InMemoryAsOverKestrel_NotAnException(string target)
    {
        await using TestEmulator kestrel = await StartAsync(inMemory: false);
        await using TestEmulator memory = await StartAsync(inMemory: true);

        using HttpResponseMessage overSocket = await kestrel.Http.GetAsync(target);
        using HttpResponseMessage inMemory = await memory.Http.GetAsync(target);

        Assert.Equal(HttpStatusCode.BadRequest, overSocket.StatusCode);
        Assert.Equal(overSocket.StatusCode, inMemory.StatusCode);
    }

    [Theory]
    [InlineData("/beta/me/devices/%2E%2E/commands/c1")]
    [InlineData("/beta/me/devices/%2e/commands/c1")]
    [InlineData("/beta/me/devices/%2E/commands")]
    [InlineData("/beta/me/devices/./commands/c1")]
    [InlineData("/beta/me/devices/../commands/c1")]
    [InlineData("/beta/me/devices/a%2F..%2Fb/commands/c1")]
    [InlineData("/beta/me/devices/a%2Fb/commands/c1")]
    [InlineData("/beta/me/devices/emu-laptop/commands/%2E%2E")]
    [InlineData("/beta/me/devices/emu-laptop/commands/c1/%2E%2E/%2E%2E")]
    [InlineData("/beta/me/devices//commands/c1")]
    [InlineData("/beta//me/devices")]
    [InlineData("/beta/me/devices/emu-laptop/commands/")]
    [InlineData("/beta/me/devices/")]
    [InlineData("/_emulator/devices/%2E%2E")]
    public async Task DotSegmentsEncodedSlashesAndEmptySegments_GetTheSameStatusAndODataError_InMemoryAsOverKestrel(string target)
    {
        await using TestEmulator kestrel = await StartAsync(inMemory: false);
        await using TestEmulator memory = await StartAsync(inMemory: true);

        // as HttpClient canonicalizes a target, and as the client sends a "." or ".." id: without canonicalization
        foreach (bool canonical in new[] { true, false })
        {
            (HttpStatusCode Status, string? Code, string? Message) overSocket = await AnswerAsync(kestrel, target, canonical);
            (HttpStatusCode Status, string? Code, string? Message) inMemory = await AnswerAsync(memory, target, canonical);

            Assert.Equal(overSocket, inMemory);
            Assert.True((int)overSocket.Status < 400 || overSocket.Code is not null, $"{target}: {overSocket}");
        }
    }

    private static async Task<(HttpStatusCode Status, string? Code, string? Message)> AnswerAsync(TestEmulator emu, string target, bool canonical)
    {
        Uri uri = new(emu.Emulator.BaseUrl.GetLeftPart(UriPartial.Authority) + target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = !canonical });
        using HttpResponseMessage response = await emu.Http.GetAsync(uri);
        string body = await response.Content.ReadAsStringAsync();
        JsonNode? error = response.IsSuccessStatusCode || !body.StartsWith('{') ? null : JsonNode.Parse(body)?["error"];
        return (response.StatusCode, error?["code"]?.GetValue<string>(), error?["message"]?.GetValue<string>());
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(5)]
    public async Task AContentThatLiesAboutItsLength_FailsTheRequest_InMemoryAsOverASocket(int lie)
    {
        await using TestEmulator kestrel = await StartAsync(inMemory: false);
        await using TestEmulator memory = await StartAsync(inMemory: true);

        Exception? overSocket = await Record.ExceptionAsync(() => SendLyingAsync(kestrel, lie));
        Exception? inMemory = await Record.ExceptionAsync(() => SendLyingAsync(memory, lie));

        Assert.True(overSocket is HttpRequestException, $"over a socket: {overSocket}");
        Assert.True(inMemory is HttpRequestException, $"in memory: {inMemory}");
        Assert.Empty(kestrel.Emulator.GetCommands());
        Assert.Empty(memory.Emulator.GetCommands());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(7_000)]
    [InlineData(8_170)]
    [InlineData(8_171)]
    [InlineData(8_172)]
    [InlineData(9_000)]
    [InlineData(60_000)]
    public async Task HugeDeviceId_GetsTheSameAnswer_InMemoryAsOverKestrel_404Or414_Never500(int length)
    {
        string target = "/beta/me/devices/" + new string('d', length) + "/commands/c1";
        await using TestEmulator kestrel = await StartAsync(inMemory: false);
        await using TestEmulator memory = await StartAsync(inMemory: true);

        using HttpResponseMessage overSocket = await kestrel.Http.GetAsync(target);
        using HttpResponseMessage inMemory = await memory.Http.GetAsync(target);

        Assert.Contains(overSocket.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.RequestUriTooLong });
        Assert.Equal(overSocket.StatusCode, inMemory.StatusCode);
    }

    [Theory]
    [InlineData(30_000)]
    [InlineData(32_600)]
    [InlineData(32_700)]
    [InlineData(32_750)]
    [InlineData(40_000)]
    public async Task HugeHeaders_GetTheSameAnswer_InMemoryAsOverKestrel_Never500(int length)
    {
        await using TestEmulator kestrel = await StartAsync(inMemory: false);
        await using TestEmulator memory = await StartAsync(inMemory: true);

        HttpStatusCode overSocket = await SendWithHeaderAsync(kestrel, length);
        HttpStatusCode inMemory = await SendWithHeaderAsync(memory, length);

        Assert.Contains(overSocket, new[] { HttpStatusCode.OK, HttpStatusCode.RequestHeaderFieldsTooLarge });
        Assert.Equal(overSocket, inMemory);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("Get")]
    [InlineData("OPTIONS")]
    [InlineData("BREW")]
    [InlineData("PROPFIND")]
    public async Task UnusualMethods_OnTheDevicesList_AreAnsweredAlike_InMemoryAndOverARawSocket(string method)
    {
        await using TestEmulator kestrel = await StartAsync(inMemory: false);
        await using TestEmulator memory = await StartAsync(inMemory: true);

        RawResponse? raw = await RawHttpClient.ExchangeAsync(kestrel.Emulator.BaseUrl,
            RawHttpClient.Request(method, "/beta/me/devices", kestrel.Emulator.BaseUrl.Authority, []), AnswerTimeout);
        using HttpResponseMessage inMemory = await memory.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/beta/me/devices"));

        Assert.NotNull(raw);
        Assert.Equal(raw.StatusCode, (int)inMemory.StatusCode);
        Assert.True(raw.StatusCode is 200 or 405, $"{method}: {raw.StatusCode}");
    }

    private static async Task SendLyingAsync(TestEmulator emu, int lie)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "me/devices/emu-laptop/commands") { Content = new LyingContent(Encoding.UTF8.GetBytes(LaunchUriBody()), lie) };
        using HttpResponseMessage response = await emu.Http.SendAsync(request);
        throw new InvalidDataException($"answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A content whose Content-Length is off by <c>lie</c> bytes from what it writes.</summary>
    private sealed class LyingContent(byte[] body, int lie) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(body, 0, body.Length);

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length + lie;
            return true;
        }
    }

    private static async Task<HttpStatusCode> SendWithHeaderAsync(TestEmulator emu, int length)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "/beta/me/devices");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('p', length));
        using HttpResponseMessage response = await emu.Http.SendAsync(request);
        return response.StatusCode;
    }
}
