using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

/// <summary>
/// The second outside attack on the emulator as a server and on <see cref="VirtualClock"/>: the promises of the README's
/// "The emulator" and "Testing your code", tried from outside with hostile but fair requests.
/// </summary>
public sealed class OutsideAttackRound2Tests
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AdminSummary_WithScriptedCountsThatSumPastIntMax_Answers200_Never500(bool inMemory)
    {
        await using TestEmulator emu = await StartAsync(inMemory);
        foreach (string id in new[] { "a", "b" })
        {
            using HttpResponseMessage scripted = await emu.Http.PostAsync("/_emulator/script/gets", Json($$"""{"commandId":"{{id}}","count":2147483647,"statusCode":503}"""));
            Assert.Equal(HttpStatusCode.NoContent, scripted.StatusCode);
        }

        using HttpResponseMessage summary = await emu.Http.GetAsync("/_emulator");

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Equal(int.MaxValue, (int)JsonNode.Parse(await summary.Content.ReadAsStringAsync())!["pendingAnswers"]!);
        Assert.Equal(int.MaxValue, emu.Emulator.Script.PendingAnswers);
    }

    [Fact]
    public async Task ScriptedGets_TakenByManyConcurrentGets_AreEachGivenExactlyOnce()
    {
        await using TestEmulator emu = await StartAsync(inMemory: true);
        using HttpResponseMessage posted = await emu.PostAsync("emu-laptop", LaunchUriBody());
        string id = (string)JsonNode.Parse(await posted.Content.ReadAsStringAsync())!["id"]!;
        emu.Emulator.Script.NextGets(id, 37, HttpStatusCode.ServiceUnavailable);

        HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 120).Select(async i =>
        {
            await Task.Yield();
            using HttpResponseMessage response = await emu.Http.GetAsync(i % 2 == 0 ? $"me/devices/emu-laptop/commands/{id}" : $"me/devices/emu-laptop/commands/{id}/responsePayload");
            return response.StatusCode;
        }));

        Assert.Equal(37, statuses.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(0, emu.Emulator.Script.PendingAnswers);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.NoContent }));
    }

    [Fact]
    public async Task AdminSteering_ConcurrentWithCommands_AddsRemovesAndScriptsWithoutA500()
    {
        await using TestEmulator emu = await StartAsync(inMemory: true);
        Random random = new(20260427);
        int[] picks = [.. Enumerable.Range(0, 200).Select(_ => random.Next(6))];

        HttpStatusCode[] statuses = await Task.WhenAll(picks.Select(async (pick, i) =>
        {
            await Task.Yield();
            string device = $"dev-{i % 7}";
            using HttpResponseMessage response = pick switch
            {
                0 => await emu.Http.PostAsync("/_emulator/devices", Json($$"""{"id":"{{device}}","behavior":"offline"}""")),
                1 => await emu.Http.DeleteAsync($"/_emulator/devices/{device}"),
                2 => await emu.Http.PatchAsync($"/_emulator/devices/{device}", Json("""{"behavior":"failsExecution"}""")),
                3 => await emu.PostAsync(device, LaunchUriBody()),
                4 => await emu.Http.PostAsync("/_emulator/script/posts", Json("""{"count":1,"statusCode":429,"retryAfter":1}""")),
                _ => await emu.Http.PostAsync("/_emulator/reset", null),
            };
            return response.StatusCode;
        }));

        Assert.DoesNotContain(statuses, s => (int)s >= 500 && s != HttpStatusCode.ServiceUnavailable);
        using HttpResponseMessage summary = await emu.Http.GetAsync("/_emulator");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
    }

    [Theory]
    [InlineData(true, 20260427, 400)]
    [InlineData(false, 7, 150)]
    public async Task AdminApi_SeededRandomMethodsPathsAndBodies_NeverGet500_AndTheServiceServesOn(bool inMemory, int seed, int iterations)
    {
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "Post"];
        string[] segments = ["", "devices", "commands", "script", "gets", "posts", "requests", "reset", "outcome", "emu-laptop", "dev-x", "%2F", "%ZZ", "%00", "..", "a%2Fb", "%C3%A9", new string('z', 3000)];
        string[] bodies =
        [
            "", "{}", "[]", "null", "\"text\"", "{", "{\"id\":\"dev-x\"}", "{\"id\":\"dev-x\",\"behavior\":\"nonsense\"}", "{\"id\":5}", "{\"id\":\"\"}",
            "{\"id\":\"\\u0000\\u0007\"}", "{\"behavior\":\"tooSlow\",\"name\":null}", "{\"id\":\"other\"}", "{\"status\":\"expired\"}", "{\"status\":\"   \"}",
            "{\"status\":5}", "{\"commandId\":\"c\",\"count\":2147483647,\"statusCode\":503}", "{\"commandId\":\"c\",\"statusCode\":600}",
            "{\"count\":-1,\"statusCode\":429}", "{\"count\":1e300,\"statusCode\":429}", "{\"statusCode\":429,\"retryAfter\":1e400}",
            "{\"statusCode\":429,\"retryAfter\":-1}", "{\"statusCode\":429,\"retryAfter\":\"2\"}", "{\"statusCode\":2147483648}",
            new string('[', 5000) + new string(']', 5000), "{\"id\":\"dev-x\",\"id\":\"dev-y\"}", "\uFEFF{\"id\":\"bom\"}",
        ];
        await using TestEmulator emu = await StartAsync(inMemory);
        Random random = new(seed);
        List<string> problems = [];

        for (int i = 0; i < iterations; i++)
        {
            string path = "/_emulator/" + string.Join('/', Enumerable.Range(0, random.Next(4)).Select(_ => segments[random.Next(segments.Length)]));
            string method = methods[random.Next(methods.Length)];
            string body = bodies[random.Next(bodies.Length)];
            using HttpRequestMessage request = new(new HttpMethod(method), path);
            if (method is not ("GET" or "get" or "HEAD") || random.Next(4) == 0)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = await emu.Http.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                problems.Add($"{method} {path} {body} -> {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(problems);
        emu.Emulator.Script.Clear();
        using HttpResponseMessage devices = await emu.Http.GetAsync("me/devices");
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
    }

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

    [Fact]
    public async Task DisposeAsync_InMemory_WithFiftyRequestsInFlight_EndsEachWithHttpRequestException_AndRecordsThemUnanswered()
    {
        TestEmulator emu = await StartAsync(inMemory: true, o =>
        {
            o.LatencyRate = 1;
            o.Latency = TimeSpan.FromHours(1); // on the clock moved by hand: never over
        });
        Task<HttpResponseMessage>[] inFlight = [.. Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? emu.Http.GetAsync("me/devices")
            : emu.PostAsync("emu-laptop", LaunchUriBody()))];
        await Task.Yield();

        await emu.Emulator.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Task all = Task.WhenAll(inFlight);
        Exception? ended = await Record.ExceptionAsync(() => all.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.IsType<HttpRequestException>(ended);
        Assert.All(inFlight, t => Assert.IsType<HttpRequestException>(t.Exception?.InnerException));
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.GetAsync("me/devices"));
        Assert.All(emu.Emulator.GetRequests(), r => Assert.Null(r.StatusCode));
        Assert.Equal(0, emu.Emulator.GetCommands().Count(c => c.Status == "completed"));
        emu.Http.Dispose();
    }

    [Fact]
    public async Task RunAsync_OverARealSocket_ThroughTrack_AnHourLongCommandCompletes_WithNoAttemptSentTwice()
    {
        var clock = new VirtualClock();
        await using DeviceCommandsEmulator emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(20) });
        using var sockets = new SocketsHttpHandler();
        var client = DeviceCommands.Client.DeviceCommandsClient.Create(null, new DeviceCommands.Client.DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl, HttpMessageHandler = clock.Track(sockets), TimeProvider = clock,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")), new DeviceCommands.Client.CommandWaitOptions { Timeout = TimeSpan.FromHours(2), JitterSeed = 3 }));

        Assert.Equal(DeviceCommands.Client.Models.ActionStatus.Completed, result.Status);
        Assert.Equal(1, emulator.PostCount);
        Assert.Equal(result.Polls, emulator.GetRequests().Count(r => r.Method == "GET"));
        Assert.All(emulator.GetRequests(), r => Assert.NotNull(r.StatusCode));
    }

    [Fact]
    public async Task RunAsync_OverAnEmulatorWithATransitionLog_WorkThatWaitsOnSomethingElse_ReportsTheStall()
    {
        var clock = new VirtualClock { StallLimit = TimeSpan.FromMilliseconds(200) };
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, TransitionLog = TextWriter.Null });
        using HttpClient http = new(emulator.CreateHandler()) { BaseAddress = new Uri(emulator.BaseUrl + "/") };
        TaskCompletionSource never = new();

        Task run = clock.RunAsync(async () =>
        {
            using HttpResponseMessage posted = await http.PostAsync("me/devices/emu-laptop/commands", Json(LaunchUriBody())).ConfigureAwait(false);
            await never.Task.ConfigureAwait(false);
        });
        Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(run, first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Equal(1, emulator.PostCount);
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
