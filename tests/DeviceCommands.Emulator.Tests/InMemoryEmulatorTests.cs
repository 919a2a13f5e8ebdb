using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using DeviceCommands.Client.Models;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

public sealed class InMemoryEmulatorTests
{
    [Fact]
    public async Task CreateInMemory_BaseUrl_IsAnHttpLoopbackUrlUniqueToEachEmulator()
    {
        await using DeviceCommandsEmulator first = DeviceCommandsEmulator.CreateInMemory();
        await using DeviceCommandsEmulator second = DeviceCommandsEmulator.CreateInMemory();

        Assert.Equal("http", first.BaseUrl.Scheme);
        Assert.True(first.BaseUrl.IsLoopback);
        Assert.Equal("/beta", first.BaseUrl.AbsolutePath);
        Assert.NotEqual(first.BaseUrl, second.BaseUrl);
    }

    [Fact]
    public async Task CreateInMemory_InvalidSetting_ThrowsArgumentException()
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { MaxCommands = 0 }));

        Assert.Equal("MaxCommands", exception.ParamName);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ManyInMemoryEmulators_InParallel_EachKeepItsOwnState()
    {
        DeviceCommandsEmulator[] emulators = [.. Enumerable.Range(0, 20).Select(_ => DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { StepDelay = TimeSpan.Zero }))];
        try
        {
            await Task.WhenAll(emulators.Select(async (emulator, i) =>
            {
                using HttpClient http = new(emulator.CreateHandler()) { BaseAddress = new Uri(emulator.BaseUrl + "/") };
                for (int n = 0; n <= i; n++)
                {
                    using HttpResponseMessage response = await http.PostAsync("me/devices/emu-laptop/commands", Json(LaunchUriBody()));
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                }
            }));

            Assert.Equal(Enumerable.Range(1, 20), emulators.Select(e => e.GetCommands().Count));
            Assert.Equal(Enumerable.Range(1, 20), emulators.Select(e => e.PostCount));
        }
        finally
        {
            foreach (DeviceCommandsEmulator emulator in emulators)
            {
                await emulator.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task CreateHandler_OfAKestrelEmulator_ServesTheSameEmulatorInMemory()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop"); // over the socket
        using HttpClient inMemory = new(emu.Emulator.CreateHandler()) { BaseAddress = emu.Http.BaseAddress };

        using HttpResponseMessage response = await inMemory.GetAsync($"me/devices/emu-laptop/commands/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, emu.Emulator.RequestCount);
    }

    [Theory]
    [InlineData("http://localhost:1/beta/me/devices")]
    [InlineData("https://graph.microsoft.com/beta/me/devices")]
    [InlineData("https://{host}/beta/me/devices")]
    public async Task Handler_RequestForAnotherAuthority_Answers421MisdirectedRequest_UnseenByTheEmulator(string url)
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();
        using HttpClient http = new(emulator.CreateHandler());

        using HttpResponseMessage response = await http.GetAsync(url.Replace("{host}", emulator.BaseUrl.Authority, StringComparison.Ordinal));

        await AssertErrorAsync(response, HttpStatusCode.MisdirectedRequest, "MisdirectedRequest");
        Assert.Contains(emulator.BaseUrl.Authority, (await ReadJsonAsync(response))["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, emulator.RequestCount);
        Assert.Empty(emulator.GetRequests());
    }

    [Fact]
    public async Task Handler_AfterDispose_ThrowsHttpRequestException_AndCreateHandlerThrowsObjectDisposed()
    {
        DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();
        using HttpClient http = new(emulator.CreateHandler());

        await emulator.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(emulator.BaseUrl + "/me/devices"));
        Assert.Throws<ObjectDisposedException>(() => emulator.CreateHandler());
    }

    [Fact]
    public async Task Handler_CallerCancelsDuringInjectedLatency_ThrowsOperationCanceled_AndTheRequestIsRecordedUnanswered()
    {
        VirtualClock clock = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, LatencyRate = 1, Latency = TimeSpan.FromHours(1) });
        using HttpClient http = new(emulator.CreateHandler());
        using CancellationTokenSource cancel = new();

        Task<HttpResponseMessage> get = http.GetAsync(emulator.BaseUrl + "/me/devices", cancel.Token);
        Assert.Equal(1, clock.PendingTimers); // waiting out its latency on the clock nobody moves
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        Assert.Null(Assert.Single(emulator.GetRequests()).StatusCode);
    }

    [Fact]
    public async Task Handler_ContentThatThrows_FailsTheRequestWithHttpRequestException()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();
        using HttpClient http = new(emulator.CreateHandler());

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            http.PostAsync(emulator.BaseUrl + "/me/devices/emu-laptop/commands", new ScriptedContent(failAfter: 5)));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Empty(emulator.GetCommands());
    }

    [Fact]
    public async Task Handler_BodyThatNeverEnds_Answers408AfterTheRequestBodyTimeout()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { RequestBodyTimeout = TimeSpan.FromMilliseconds(200) });
        using HttpClient http = new(emulator.CreateHandler());

        using HttpResponseMessage response = await http.PostAsync(emulator.BaseUrl + "/me/devices/emu-laptop/commands", new ScriptedContent(failAfter: null));

        await AssertErrorAsync(response, HttpStatusCode.RequestTimeout, "RequestTimeout");
        Assert.True(response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task Handler_ChunkedBodyOverTheLimit_Answers413_WithoutReadingItAll()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { MaxRequestBodyBytes = 1024 });
        using HttpClient http = new(emulator.CreateHandler());

        using HttpResponseMessage response = await http.PostAsync(emulator.BaseUrl + "/me/devices/emu-laptop/commands", new ScriptedContent(failAfter: null, endless: true));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge");
        Assert.Equal("chunked", emulator.GetRequests().Single().Headers["Transfer-Encoding"]);
    }

    [Fact]
    public async Task Handler_HeaderValueWithAControlCharacter_IsRefusedLikeSocketsHttpHandler()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();
        using HttpClient http = new(emulator.CreateHandler());
        using HttpRequestMessage request = new(HttpMethod.Get, emulator.BaseUrl + "/me/devices");
        request.Headers.TryAddWithoutValidation("X-Bad", "a\u0085b");

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(request));
        Assert.Equal(0, emulator.RequestCount);
    }

    [Fact]
    public async Task Handler_SeesTheRequestAsKestrelWould_HostContentLengthAndRawTarget()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();
        using HttpClient http = new(emulator.CreateHandler());

        (await http.PostAsync(emulator.BaseUrl + "/me/devices/emu-laptop/commands?x=%2F", Json(LaunchUriBody()))).Dispose();

        RecordedRequest request = emulator.GetRequests().Single();
        Assert.Equal("/beta/me/devices/emu-laptop/commands?x=%2F", request.Path);
        Assert.Equal(emulator.BaseUrl.Authority, request.Headers["Host"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(LaunchUriBody()).ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
    }

    public static TheoryData<bool> BothModes() => [false, true];

    /// <summary>The same requests to a Kestrel emulator and an in-memory one get the same answers, byte for byte (ids aside).</summary>
    [Theory]
    [MemberData(nameof(BothModes))]
    public async Task EveryAnswer_InMemory_IsTheAnswerOverKestrel(bool cleanJson)
    {
        async Task<List<string>> RunAsync(bool inMemory)
        {
            await using TestEmulator emu = await TestEmulator.StartAsync(inMemory, o =>
            {
                o.CleanJson = cleanJson;
                o.MaxRequestBodyBytes = 512;
                o.RetryAfterHints = true;
            });
            List<string> answers = [];
            string? id = null;

            async Task SendAsync(HttpMethod method, string path, string? body = null, string? clientRequestId = null)
            {
                using HttpRequestMessage request = new(method, path) { Content = body is null ? null : Json(body) };
                if (clientRequestId is not null)
                {
                    request.Headers.Add("client-request-id", clientRequestId);
                }

                using HttpResponseMessage response = await emu.Http.SendAsync(request);
                string text = await response.Content.ReadAsStringAsync();
                if (id is null && response.StatusCode == HttpStatusCode.Created)
                {
                    id = JsonNode.Parse(text)!["id"]!.GetValue<string>();
                }

                string headers = string.Join("|", new[] { "Content-Type", "Allow", "Retry-After", "retry-after-ms", "client-request-id", "WWW-Authenticate", "Connection" }
                    .Select(name => response.Headers.TryGetValues(name, out IEnumerable<string>? v) || response.Content.Headers.TryGetValues(name, out v) ? $"{name}={string.Join(",", v)}" : null)
                    .Where(h => h is not null));
                string line = $"{method} {path} -> {(int)response.StatusCode} {headers} {text}";
                answers.Add(id is null ? line : line.Replace(id, "<id>", StringComparison.Ordinal));
            }

            await SendAsync(HttpMethod.Get, "me/devices");
            await SendAsync(HttpMethod.Post, "me/devices/emu-laptop/commands", AppServiceBody, "req-1");
            await SendAsync(HttpMethod.Post, "me/devices/emu-laptop/commands", "{not json");
            await SendAsync(HttpMethod.Post, "me/devices/emu-laptop/commands", new string('x', 600));
            await SendAsync(HttpMethod.Post, "me/devices/nope/commands", LaunchUriBody());
            await SendAsync(HttpMethod.Get, $"me/devices/emu-laptop/commands/{id}");
            await SendAsync(HttpMethod.Get, $"me/devices/emu-laptop/commands/{id}/responsePayload");
            emu.Time.Advance(TimeSpan.FromSeconds(3));
            await SendAsync(HttpMethod.Get, $"me/devices/emu-laptop/commands/{id}");
            await SendAsync(HttpMethod.Get, $"me/devices/emu-laptop/commands/{id}/responsepayload");
            emu.Emulator.Script.NextGets(id!, 1, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(2));
            await SendAsync(HttpMethod.Get, $"me/devices/emu-laptop/commands/{id}");
            await SendAsync(HttpMethod.Get, "me/devices/emu-laptop/commands");
            await SendAsync(HttpMethod.Delete, "me/devices");
            await SendAsync(HttpMethod.Head, "me/devices");
            await SendAsync(HttpMethod.Get, "me/devices/emu-laptop/things");
            await SendAsync(HttpMethod.Get, "me/devices/emu-laptop/commands/missing");
            await SendAsync(HttpMethod.Get, "../v1.0/me/devices");
            answers.Add($"requests {emu.Emulator.RequestCount}, posts {emu.Emulator.PostCount}, recorded {string.Join(",", emu.Emulator.GetRequests().Select(r => r.StatusCode))}");
            return answers;
        }

        List<string> kestrel = await RunAsync(inMemory: false);
        List<string> inMemory = await RunAsync(inMemory: true);

        Assert.Equal(kestrel, inMemory);
    }

    [Theory]
    [MemberData(nameof(BothModes))]
    public async Task ARequestLineOver8KiB_OrHeadersOver32KiB_AreRefusedAsKestrelDoes_414And431(bool inMemory)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory);
        using HttpRequestMessage big = new(HttpMethod.Get, "me/devices");
        big.Headers.Add("X-Big", new string('h', 40_000));

        using HttpResponseMessage longLine = await emu.Http.GetAsync("me/devices?" + new string('q', 9000));
        using HttpResponseMessage bigHeaders = await emu.Http.SendAsync(big);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, longLine.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeaders.StatusCode);
        Assert.Equal(0, emu.Emulator.RequestCount);
    }

    [Fact]
    public async Task InjectedFaults_WithTheSameSeed_AreTheSameInMemoryAndOverKestrel()
    {
        async Task<string> RunAsync(bool inMemory)
        {
            await using TestEmulator emu = await TestEmulator.StartAsync(inMemory, o =>
            {
                o.ThrottleRate = 0.3;
                o.UnavailableRate = 0.3;
                o.RequireToken = true;
                o.Seed = 7;
            });
            List<int> codes = [];
            for (int i = 0; i < 30; i++)
            {
                using HttpRequestMessage request = new(HttpMethod.Get, "me/devices");
                if (i % 2 == 0)
                {
                    UseBearer(request, "token");
                }

                using HttpResponseMessage response = await emu.Http.SendAsync(request);
                codes.Add((int)response.StatusCode);
            }

            return string.Join(',', codes);
        }

        Assert.Equal(await RunAsync(inMemory: false), await RunAsync(inMemory: true));
    }

    [Fact]
    public async Task Client_Create_WithTheHandler_SendsAndWaitsInMemory()
    {
        // both on one VirtualClock: the wait's polls are scheduled seconds apart, and the clock skips them
        VirtualClock clock = new();
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { StepDelay = TimeSpan.Zero, RequireToken = true, TimeProvider = clock });
        DeviceCommandsClient client = DeviceCommandsClient.Create(new FakeCredential("any-token"), new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            HttpMessageHandler = emulator.CreateHandler(),
            TimeProvider = clock,
        });

        List<Device> devices = (await client.Me.Devices.GetAsync())!.Value!;
        CommandWaitResult result = await clock.RunAsync(() => client.Me.Devices[devices[0].Id!].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com"))));
        PayloadResponse? payload = await client.Me.Devices[devices[0].Id!].Commands[result.Command.Id!].ResponsePayload.GetAsync();

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.Equal("Ok", payload?.Type);
        Assert.Equal(new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero), payload?.CreationDate);
        Assert.All(emulator.GetRequests(), r => Assert.Equal("Bearer ***", r.Headers["Authorization"]));
    }

    /// <summary>A body written a byte at a time: it throws after <c>failAfter</c> bytes, or never ends (waits, or writes for ever).</summary>
    private sealed class ScriptedContent(int? failAfter, bool endless = false) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            for (int i = 0; failAfter is null || i < failAfter; i++)
            {
                await stream.WriteAsync(endless ? new byte[256] : "{"u8.ToArray(), cancellationToken);
                if (!endless && failAfter is null && i == 2)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
            }

            throw new InvalidOperationException("The content failed.");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
