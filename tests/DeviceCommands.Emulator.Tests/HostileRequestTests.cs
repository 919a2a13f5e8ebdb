using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;

namespace DeviceCommands.Emulator.Tests;

/// <summary>
/// No request at all makes the emulator answer 500: hostile bytes over a raw socket to Kestrel, and the same bodies
/// through the in-memory handler, get the same 4xx (or 201 when they are a command after all).
/// </summary>
public sealed class HostileRequestTests
{
    private const string Commands = "/beta/me/devices/emu-laptop/commands";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string, byte[], string, int> HostileBodies()
    {
        byte[] valid = Encoding.UTF8.GetBytes(TestEmulator.LaunchUriBody());
        Random random = new(1234);
        byte[] noise = new byte[2000];
        random.NextBytes(noise);
        return new TheoryData<string, byte[], string, int>
        {
            { "random bytes", noise, "application/json", 400 },
            { "invalid UTF-8 in a string", [.. "{\"type\":\"LaunchUri\",\"payload\":{\"uri\":\"https://b\u00e9"u8.ToArray()[..^2], 0xC3, 0x28, .. "\"}}"u8.ToArray()], "application/json", 400 },
            { "an overlong UTF-8 sequence", [.. "{\"type\":\""u8.ToArray(), 0xC0, 0xAF, .. "\"}"u8.ToArray()], "application/json", 400 },
            { "an encoded lone surrogate", [.. "{\"type\":\""u8.ToArray(), 0xED, 0xA0, 0x80, .. "\"}"u8.ToArray()], "application/json", 400 },
            { "an escaped lone surrogate in a value", Encoding.ASCII.GetBytes("{\"type\":\"LaunchUri\",\"payload\":{\"uri\":\"https://bing.com/\\ud800\"}}"), "application/json", 400 },
            { "an escaped lone low surrogate in a name", Encoding.ASCII.GetBytes("{\"type\":\"AppService\",\"appServiceName\":\"a\",\"packageFamilyName\":\"p\",\"payload\":{\"\\udc00\":1}}"), "application/json", 400 },
            { "a BOM, then a command", [0xEF, 0xBB, 0xBF, .. valid], "application/json", 201 },
            { "two BOMs", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. valid], "application/json", 400 },
            { "nesting 10 000 deep", Encoding.ASCII.GetBytes("{\"type\":\"AppService\",\"payload\":" + new string('[', 10_000) + new string(']', 10_000) + "}"), "application/json", 400 },
            { "a payload 60 deep", Encoding.ASCII.GetBytes("{\"type\":\"AppService\",\"appServiceName\":\"a\",\"packageFamilyName\":\"p\",\"payload\":" + new string('[', 60) + new string(']', 60) + "}"), "application/json", 201 },
            { "a payload 64 deep (the client's limit)", Encoding.ASCII.GetBytes("{\"type\":\"AppService\",\"appServiceName\":\"a\",\"packageFamilyName\":\"p\",\"payload\":" + new string('[', 64) + new string(']', 64) + "}"), "application/json", 201 },
            { "a payload 65 deep", Encoding.ASCII.GetBytes("{\"type\":\"AppService\",\"appServiceName\":\"a\",\"packageFamilyName\":\"p\",\"payload\":" + new string('[', 65) + new string(']', 65) + "}"), "application/json", 400 },
            { "a NUL byte", [.. valid[..^1], 0, (byte)'}'], "application/json", 400 },
            { "JSON as text/plain", valid, "text/plain", 201 },
            { "a form", "type=LaunchUri&uri=https%3A%2F%2Fbing.com"u8.ToArray(), "application/x-www-form-urlencoded", 400 },
            { "UTF-16", Encoding.Unicode.GetBytes(TestEmulator.LaunchUriBody()), "application/json; charset=utf-16", 400 },
            { "a number where a string is", "{\"type\":\"LaunchUri\",\"postBackUri\":12}"u8.ToArray(), "application/json", 400 },
            { "an empty body", [], "application/json", 400 },
            { "only whitespace", "   \r\n\t "u8.ToArray(), "application/json", 400 },
            { "two JSON values", [.. valid, .. valid], "application/json", 400 },
        };
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileBody_OverARawSocket_Answers4xxOr201_Never500(string what, byte[] body, string contentType, int expected)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            RawHttpClient.Request("POST", Commands, emu.Emulator.BaseUrl.Authority, body, $"Content-Type: {contentType}"), AnswerTimeout);

        Assert.True(response is not null, what);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileBody_InMemory_GetsTheSameAnswer(string what, byte[] body, string contentType, int expected)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        ByteArrayContent content = new(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using HttpResponseMessage response = await emu.Http.PostAsync("me/devices/emu-laptop/commands", content);

        Assert.True(expected == (int)response.StatusCode, $"{what}: {(int)response.StatusCode}");
    }

    /// <summary>A valid command with random bytes flipped, inserted or cut, or plain noise; to a random path of the service.</summary>
    private static readonly Gen<(string Method, string Path, byte[] Body)> Mutants =
        Gen.Select(
            Gen.OneOf("POST", "POST", "POST", "GET", "PUT", "PATCH"),
            Gen.OneOf("me/devices/emu-laptop/commands", "me/devices/emu-broken-hub/command", "me/devices", "me/devices/emu-laptop/commands/x/responsePayload", "me/devices/%ED%A0%80/commands"),
            Gen.Int[0, 3],
            Gen.Byte.Array[0, 40],
            Gen.Int[0, 200])
        .Select(t =>
        {
            byte[] valid = Encoding.UTF8.GetBytes(TestEmulator.AppServiceBody);
            int at = Math.Min(t.Item5, valid.Length);
            byte[] body = t.Item3 switch
            {
                0 => [.. valid[..at], .. t.Item4, .. valid[at..]],
                1 => [.. valid[..at], .. t.Item4],
                2 => [.. t.Item4],
                _ => [.. valid[..at], .. t.Item4.Select(b => (byte)(b | 0x80)), .. valid[Math.Min(valid.Length, at + t.Item4.Length)..]],
            };
            return (t.Item1, t.Item2, body);
        });

    [Theory]
    [InlineData(true, "mutants", 2000)]
    [InlineData(false, "mutants over kestrel", 300)]
    public async Task MutatedAndRandomBodies_InMemoryAndOverKestrel_NeverGet500(bool inMemory, string seed, int iterations)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: inMemory);

        await Mutants.SampleDeterministicAsync(async mutant =>
        {
            (string method, string path, byte[] body) = mutant;
            using HttpRequestMessage request = new(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
            using HttpResponseMessage response = await emu.Http.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{method} {path} {Convert.ToHexString(body)}: {(int)response.StatusCode}");
        }, seed: seed, iter: iterations);
    }

    [Fact]
    public async Task HugeBody_WithItsLength_Answers413_AtOnce()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(emu.Emulator.BaseUrl);

        await client.SendAsync(RawHttpClient.Request("POST", Commands, client.Host, [], "Content-Type: application/json", "Content-Length: 100000000"));
        RawResponse? response = await client.ReadResponseAsync(AnswerTimeout);

        Assert.Equal(413, response?.StatusCode);
        Assert.Equal("close", response?.Header("Connection"));
    }

    [Fact]
    public async Task HugeChunkedBody_Answers413_WhenItPassesTheLimit()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.MaxRequestBodyBytes = 4096);
        byte[] chunked = RawHttpClient.Chunked([.. Enumerable.Repeat(new byte[1000], 10)]);

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            RawHttpClient.Request("POST", Commands, emu.Emulator.BaseUrl.Authority, chunked, "Transfer-Encoding: chunked"), AnswerTimeout);

        Assert.Equal(413, response?.StatusCode);
    }

    [Fact]
    public async Task ChunkedBody_InSmallChunks_IsACommand()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        byte[] valid = Encoding.UTF8.GetBytes(TestEmulator.LaunchUriBody());
        byte[] chunked = RawHttpClient.Chunked([.. valid.Chunk(7)]);

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            RawHttpClient.Request("POST", Commands, emu.Emulator.BaseUrl.Authority, chunked, "Transfer-Encoding: chunked", "Content-Type: application/json"), AnswerTimeout);

        Assert.Equal(201, response?.StatusCode);
        Assert.Equal(TestEmulator.LaunchUriBody(), emu.Emulator.GetCommands().Single().RequestBody);
    }

    [Theory]
    [InlineData("zz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("2\r\n{}XX0\r\n\r\n")]
    [InlineData("FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n")]
    public async Task BrokenChunkedFraming_Answers400(string framing)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            RawHttpClient.Request("POST", Commands, emu.Emulator.BaseUrl.Authority, Encoding.ASCII.GetBytes(framing), "Transfer-Encoding: chunked"), AnswerTimeout);

        Assert.Equal(400, response?.StatusCode);
        Assert.DoesNotContain(emu.Emulator.GetRequests(), r => r.StatusCode >= 500);
    }

    [Fact]
    public async Task TrickledBody_SlowerThanTheRequestBodyTimeout_Answers408()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.RequestBodyTimeout = TimeSpan.FromMilliseconds(300));
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(emu.Emulator.BaseUrl);
        byte[] body = Encoding.UTF8.GetBytes(TestEmulator.LaunchUriBody());
        await client.SendAsync(RawHttpClient.Request("POST", Commands, client.Host, [], $"Content-Length: {body.Length}"));
        using CancellationTokenSource stop = new();

        Task trickle = client.TrickleAsync(body, pieceSize: 1, pause: TimeSpan.FromMilliseconds(100), stop.Token);
        RawResponse? response = await client.ReadResponseAsync(AnswerTimeout);
        await stop.CancelAsync();
        try
        {
            await trickle;
        }
        catch (OperationCanceledException)
        {
            // stopped once the answer came
        }

        Assert.Equal(408, response?.StatusCode);
        Assert.Equal("RequestTimeout", System.Text.Json.Nodes.JsonNode.Parse(response!.Text)!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(emu.Emulator.GetCommands());
    }

    [Fact]
    public async Task TrickledBody_WithinTheRequestBodyTimeout_IsACommand()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(emu.Emulator.BaseUrl);
        byte[] body = Encoding.UTF8.GetBytes(TestEmulator.LaunchUriBody());

        await client.TrickleAsync(RawHttpClient.Request("POST", Commands, client.Host, body), pieceSize: 16, pause: TimeSpan.FromMilliseconds(10));
        RawResponse? response = await client.ReadResponseAsync(AnswerTimeout);

        Assert.Equal(201, response?.StatusCode);
    }

    [Fact]
    public async Task BodyCutShort_ByTheClient_GetsNoAnswer_AndTheEmulatorServesOn()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await using (RawHttpClient client = await RawHttpClient.ConnectAsync(emu.Emulator.BaseUrl))
        {
            await client.SendAsync(RawHttpClient.Request("POST", Commands, client.Host, "{\"type\""u8, "Content-Length: 500"));
        }

        using HttpResponseMessage after = await emu.Http.GetAsync("me/devices");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain(emu.Emulator.GetRequests(), r => r.StatusCode >= 500);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RandomBytesInsteadOfARequest_AreRefusedOrUnanswered_Never500(int seed)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        byte[] noise = new byte[512];
        new Random(seed).NextBytes(noise);

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl, [.. "POST "u8.ToArray(), .. noise, .. "\r\n\r\n"u8.ToArray()], AnswerTimeout);

        Assert.True(response is null || response.StatusCode is >= 400 and < 500, $"answered {response?.StatusCode}");
    }

    [Theory]
    [InlineData("GET /beta/me/devices/%FF%FE/commands/%ZZ HTTP/1.1", 404)]
    [InlineData("GET /beta/me/devices/emu-laptop/commands/%ED%A0%80 HTTP/1.1", 404)]
    [InlineData("GET /beta/me/devices/emu-laptop/commands/%00 HTTP/1.1", 400)] // Kestrel's own refusal
    [InlineData("BREW /beta/me/devices HTTP/1.1", 405)]
    [InlineData("OPTIONS * HTTP/1.1", 404)]
    [InlineData("GET http://{host}/beta/me/devices HTTP/1.1", 200)]
    [InlineData("GET http://elsewhere.example/beta/me/devices HTTP/1.1", 400)] // Kestrel: the Host header differs
    [InlineData("GET /beta/me/devices?%%%=&&&#frag HTTP/1.1", 200)]
    [InlineData("GET /beta/me/devices/emu-laptop/commands/x/responsePayload/../.. HTTP/1.1", 404)]
    public async Task OddRequestTargets_AreRoutedOrRefused_Never500(string requestLine, int expected)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            Encoding.ASCII.GetBytes($"{requestLine.Replace("{host}", emu.Emulator.BaseUrl.Authority, StringComparison.Ordinal)}\r\nHost: {emu.Emulator.BaseUrl.Authority}\r\n\r\n"), AnswerTimeout);

        Assert.Equal(expected, response?.StatusCode);
    }

    [Fact]
    public async Task ClientRequestIdThatCannotBeEchoed_IsNotEchoed_AndTheRequestIsAnswered()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        RawResponse? response = await RawHttpClient.ExchangeAsync(emu.Emulator.BaseUrl,
            Encoding.ASCII.GetBytes($"GET /beta/me/devices HTTP/1.1\r\nHost: {emu.Emulator.BaseUrl.Authority}\r\nclient-request-id: a\tb\r\n\r\n"), AnswerTimeout);

        Assert.Equal(200, response?.StatusCode);
        Assert.Null(response?.Header("client-request-id"));
    }
}
