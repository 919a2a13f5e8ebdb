using System.Net;
using System.Text.Json.Nodes;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

/// <summary>The admin API under <c>/_emulator</c>, on the Kestrel listener the program uses (the service beside it).</summary>
public sealed class AdminApiTests
{
    private static Task<HttpResponseMessage> SendAsync(TestEmulator emu, HttpMethod method, string path, string? json = null)
    {
        HttpRequestMessage request = new(method, new Uri(emu.Emulator.BaseUrl, "/_emulator" + path)) { Content = json is null ? null : Json(json) };
        return emu.Http.SendAsync(request);
    }

    [Fact]
    public async Task Summary_CountsOnlyTheServicesRequests()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        (await emu.Http.GetAsync("me/devices")).Dispose();
        await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage response = await SendAsync(emu, HttpMethod.Get, "");

        JsonObject summary = await ReadJsonAsync(response);
        Assert.Equal(emu.Emulator.BaseUrl.AbsoluteUri, summary["baseUrl"]!.GetValue<string>());
        Assert.Equal(2, summary["requestCount"]!.GetValue<int>());
        Assert.Equal(1, summary["postCount"]!.GetValue<int>());
        Assert.Equal(5, summary["devices"]!.GetValue<int>());
        Assert.Equal(1, summary["commands"]!.GetValue<int>());
        Assert.Equal(2, emu.Emulator.RequestCount);
        Assert.Equal(2, emu.Emulator.GetRequests().Count);
    }

    [Fact]
    public async Task Devices_AddChangeAndRemove_WithoutARestart()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage added = await SendAsync(emu, HttpMethod.Post, "/devices", """{"id":"pc 1","name":"PC","behavior":"failsExecution","error":"boom"}""");
        using HttpResponseMessage changed = await SendAsync(emu, HttpMethod.Patch, "/devices/pc%201", """{"behavior":"OFFLINE","status":"Offline"}""");
        using HttpResponseMessage one = await SendAsync(emu, HttpMethod.Get, "/devices/pc%201");
        string id = await emu.CreateAsync("pc 1");
        emu.Time.Advance(TimeSpan.FromSeconds(1));
        string status = (await emu.GetCommandObjectAsync("pc 1", id))["status"]!.GetValue<string>();
        using HttpResponseMessage removed = await SendAsync(emu, HttpMethod.Delete, "/devices/emu-laptop");
        using HttpResponseMessage list = await SendAsync(emu, HttpMethod.Get, "/devices");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("failsExecution", (await ReadJsonAsync(added))["behavior"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        JsonObject device = await ReadJsonAsync(one);
        Assert.Equal(("offline", "Offline", "boom", "PC"), (device["behavior"]!.GetValue<string>(), device["status"]!.GetValue<string>(), device["error"]!.GetValue<string>(), device["name"]!.GetValue<string>()));
        Assert.Equal("failedToSend", status);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        JsonArray devices = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["emu-offline-phone", "emu-sleepy-tablet", "emu-broken-hub", "emu-slow-console", "pc 1"], devices.Select(d => d!["id"]!.GetValue<string>()));
        Assert.False(emu.Emulator.Devices.TryGet("emu-laptop", out _));
    }

    [Theory]
    [InlineData("POST", "/devices", """{"id":"emu-laptop"}""", HttpStatusCode.Conflict, "Conflict")]
    [InlineData("POST", "/devices", """{"name":"no id"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/devices", """{"id":"x","behavior":"explodes"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/devices", """{"id":7}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/devices", "[]", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/devices", "{\"id\":\"\\ud800\"}", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("PATCH", "/devices/nope", """{"behavior":"offline"}""", HttpStatusCode.NotFound, "ResourceNotFound")]
    [InlineData("PATCH", "/devices/emu-laptop", """{"id":"renamed"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("DELETE", "/devices/nope", null, HttpStatusCode.NotFound, "ResourceNotFound")]
    [InlineData("PUT", "/devices", null, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed")]
    [InlineData("GET", "/nothing/here", null, HttpStatusCode.NotFound, "ResourceNotFound")]
    [InlineData("PUT", "/commands/nope/outcome", """{"status":"expired"}""", HttpStatusCode.NotFound, "ResourceNotFound")]
    [InlineData("PUT", "/commands/nope/outcome", """{}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/script/gets", """{"count":1,"statusCode":503}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/script/posts", """{"count":0,"statusCode":503}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/script/posts", """{"statusCode":200}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/script/posts", """{"statusCode":429,"retryAfter":"soon"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("POST", "/script/posts", "", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("GET", "/reset", null, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed")]
    public async Task BadAdminRequests_AreODataErrors_Never500(string method, string path, string? json, HttpStatusCode status, string code)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await SendAsync(emu, new HttpMethod(method), path, json);

        await AssertErrorAsync(response, status, code);
        Assert.Equal(5, emu.Emulator.Devices.Count);
    }

    [Fact]
    public async Task Script_GetsPostsAndAnOutcome_OverHttp()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage gets = await SendAsync(emu, HttpMethod.Post, "/script/gets", $$"""{"commandId":"{{id}}","count":2,"statusCode":503,"retryAfter":1.5}""");
        using HttpResponseMessage posts = await SendAsync(emu, HttpMethod.Post, "/script/posts", """{"statusCode":429,"retryAfter":2}""");
        using HttpResponseMessage outcome = await SendAsync(emu, HttpMethod.Put, $"/commands/{id}/outcome", """{"status":"expired","error":"Too late."}""");
        using HttpResponseMessage unavailable = await emu.GetCommandAsync("emu-laptop", id);
        using HttpResponseMessage again = await emu.GetCommandAsync("emu-laptop", id);
        using HttpResponseMessage throttled = await emu.PostAsync("emu-laptop", LaunchUriBody());
        emu.Time.Advance(TimeSpan.FromSeconds(3));
        JsonObject command = await emu.GetCommandObjectAsync("emu-laptop", id);
        using HttpResponseMessage commands = await SendAsync(emu, HttpMethod.Get, "/commands");

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent], new[] { gets.StatusCode, posts.StatusCode, outcome.StatusCode });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), unavailable.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(("expired", "Too late."), (command["status"]!.GetValue<string>(), command["error"]!.GetValue<string>()));
        JsonNode listed = JsonNode.Parse(await commands.Content.ReadAsStringAsync())!.AsArray().Single()!;
        Assert.Equal((id, "emu-laptop", "expired"), (listed["id"]!.GetValue<string>(), listed["deviceId"]!.GetValue<string>(), listed["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ScriptDelete_ForgetsTheAnswersNotGivenYet()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        (await SendAsync(emu, HttpMethod.Post, "/script/posts", """{"count":5,"statusCode":503}""")).Dispose();

        using HttpResponseMessage cleared = await SendAsync(emu, HttpMethod.Delete, "/script");
        using HttpResponseMessage post = await emu.PostAsync("emu-laptop", LaunchUriBody());

        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
    }

    [Fact]
    public async Task Requests_ListsWhatTheServiceReceived_TokenMasked_AndDeleteForgetsThem()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        using HttpRequestMessage post = new(HttpMethod.Post, "me/devices/emu-laptop/commands") { Content = Json(LaunchUriBody()) };
        UseBearer(post, "top-secret");
        (await emu.Http.SendAsync(post)).Dispose();

        using HttpResponseMessage list = await SendAsync(emu, HttpMethod.Get, "/requests");
        string text = await list.Content.ReadAsStringAsync();
        using HttpResponseMessage cleared = await SendAsync(emu, HttpMethod.Delete, "/requests");

        JsonNode request = JsonNode.Parse(text)!.AsArray().Single()!;
        Assert.Equal(("POST", "/beta/me/devices/emu-laptop/commands", 201), (request["method"]!.GetValue<string>(), request["path"]!.GetValue<string>(), request["statusCode"]!.GetValue<int>()));
        Assert.Equal("Bearer ***", request["headers"]!["Authorization"]!.GetValue<string>());
        Assert.Equal(LaunchUriBody(), request["body"]!.GetValue<string>());
        Assert.Equal(Start, DateTimeOffset.Parse(request["receivedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("top-secret", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(emu.Emulator.GetRequests());
    }

    [Fact]
    public async Task Reset_OverHttp_GivesAFreshEmulator()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.CreateAsync("emu-laptop");
        (await SendAsync(emu, HttpMethod.Delete, "/devices/emu-laptop")).Dispose();

        using HttpResponseMessage reset = await SendAsync(emu, HttpMethod.Post, "/reset");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(emu.Emulator.GetCommands());
        Assert.True(emu.Emulator.Devices.TryGet("emu-laptop", out _));
    }

    [Fact]
    public async Task AdminRequests_AreNotFaultedNorTokenChecked()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.ThrottleRate = 1;
            o.RequireToken = true;
        });

        using HttpResponseMessage service = await emu.Http.GetAsync("me/devices");
        using HttpResponseMessage admin = await SendAsync(emu, HttpMethod.Get, "/devices");

        Assert.Equal(HttpStatusCode.TooManyRequests, service.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task AdminApi_IsServedInMemoryToo()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);

        using HttpResponseMessage added = await SendAsync(emu, HttpMethod.Post, "/devices", """{"id":"mem"}""");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.True(emu.Emulator.Devices.TryGet("mem", out _));
    }
}
