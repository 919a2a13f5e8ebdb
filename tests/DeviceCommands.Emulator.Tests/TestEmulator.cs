using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Testing;

namespace DeviceCommands.Emulator.Tests;

/// <summary>
/// An emulator on a <see cref="VirtualClock"/> (moved by hand), started on Kestrel or created in memory, with a raw
/// HttpClient whose base address is the emulator's BaseUrl (over a socket, or through its in-memory handler).
/// </summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 4, 27, 10, 0, 0, TimeSpan.Zero);

    private TestEmulator(DeviceCommandsEmulator emulator, VirtualClock time, bool inMemory)
    {
        Emulator = emulator;
        Time = time;
        Http = inMemory ? new HttpClient(emulator.CreateHandler()) : new HttpClient();
        Http.BaseAddress = new Uri(emulator.BaseUrl + "/");
    }

    public DeviceCommandsEmulator Emulator { get; }

    public VirtualClock Time { get; }

    public HttpClient Http { get; }

    public static Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null) => StartAsync(inMemory: false, configure);

    public static async Task<TestEmulator> StartAsync(bool inMemory, Action<EmulatorOptions>? configure = null)
    {
        VirtualClock time = new(Start);
        EmulatorOptions options = new() { TimeProvider = time };
        configure?.Invoke(options);
        DeviceCommandsEmulator emulator = inMemory ? DeviceCommandsEmulator.CreateInMemory(options) : await DeviceCommandsEmulator.StartAsync(options);
        return new TestEmulator(emulator, time, inMemory);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string LaunchUriBody(string uri = "https://bing.com") => $$$"""{"type":"LaunchUri","payload":{"uri":"{{{uri}}}"}}""";

    public const string AppServiceBody = """
        {"type":"AppService","appServiceName":"com.microsoft.test.cdppingpongservice","packageFamilyName":"5085ShawnHenry.RomanTestApp_jsjw7knzsgcce","payload":{"Type":"Toast","Title":"Hello","Subtitle":"World!"}}
        """;

    public static string Segment(string id) => Uri.EscapeDataString(id);

    public Task<HttpResponseMessage> PostAsync(string deviceId, string body, string? clientRequestId = null)
    {
        HttpRequestMessage request = new(HttpMethod.Post, $"me/devices/{Segment(deviceId)}/commands") { Content = Json(body) };
        if (clientRequestId is not null)
        {
            request.Headers.Add("client-request-id", clientRequestId);
        }

        return Http.SendAsync(request);
    }

    /// <summary>POSTs a command and returns its id, asserting 201.</summary>
    public async Task<string> CreateAsync(string deviceId, string? body = null)
    {
        using HttpResponseMessage response = await PostAsync(deviceId, body ?? LaunchUriBody());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response))["id"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> GetCommandAsync(string deviceId, string commandId) =>
        Http.GetAsync($"me/devices/{Segment(deviceId)}/commands/{Segment(commandId)}");

    /// <summary>GETs a command and returns the command object (unwrapped from quirky <c>{"value":...}</c>).</summary>
    public async Task<JsonObject> GetCommandObjectAsync(string deviceId, string commandId)
    {
        using HttpResponseMessage response = await GetCommandAsync(deviceId, commandId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject body = await ReadJsonAsync(response);
        return body["value"] as JsonObject ?? body;
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Asserts an OData error with this status and code.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        JsonObject body = await ReadJsonAsync(response);
        Assert.Equal(code, body["error"]?["code"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["error"]?["message"]?.GetValue<string>()));
    }

    public static void UseBearer(HttpRequestMessage request, string token) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
