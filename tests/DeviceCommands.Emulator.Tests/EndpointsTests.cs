using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

public sealed class EndpointsTests
{
    [Fact]
    public async Task GetDevices_Quirky_ListsPascalCaseDevicesWithLowercaseId_LaptopFirst()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("""{"value":[{"Name":"Emulated Laptop","id":"emu-laptop","Kind":"Laptop","Status":"Online","Platform":"Windows",""", text, StringComparison.Ordinal);
        JsonArray devices = JsonNode.Parse(text)!["value"]!.AsArray();
        Assert.Equal(EmulatorOptions.DefaultDevices.Select(d => d.Id), devices.Select(d => d!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetDevices_Clean_ListsCamelCaseDevices()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.CleanJson = true);

        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");

        JsonObject first = (await ReadJsonAsync(response))["value"]![0]!.AsObject();
        Assert.Equal(["name", "id", "kind", "status", "platform", "manufacturer", "model"], first.Select(p => p.Key));
        Assert.Equal("emu-laptop", first["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostCommand_LaunchUri_Answers201WithRequestingCommand()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", LaunchUriBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonObject command = await ReadJsonAsync(response);
        string id = command["id"]!.GetValue<string>();
        Assert.Matches("^[0-9A-F]{64}$", id);
        Assert.Equal("requesting", command["status"]!.GetValue<string>());
        Assert.Equal("LaunchUri", command["type"]!.GetValue<string>());
        Assert.Equal("https://bing.com", command["payload"]!["uri"]!.GetValue<string>());
        Assert.Equal("null", command["appServiceName"]!.GetValue<string>());
        Assert.Equal("null", command["postBackUri"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostCommand_AppServiceInCleanMode_EchoesFieldsAndOmitsNulls()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.CleanJson = true);

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", AppServiceBody);

        JsonObject command = await ReadJsonAsync(response);
        Assert.Equal("AppService", command["type"]!.GetValue<string>());
        Assert.Equal("com.microsoft.test.cdppingpongservice", command["appServiceName"]!.GetValue<string>());
        Assert.Equal("5085ShawnHenry.RomanTestApp_jsjw7knzsgcce", command["packageFamilyName"]!.GetValue<string>());
        Assert.Equal("Toast", command["payload"]!["Type"]!.GetValue<string>());
        Assert.False(command.ContainsKey("error"));
        Assert.False(command.ContainsKey("postBackUri"));
    }

    [Fact]
    public async Task PostCommand_PropertyNamesInAnyCase_AreRead_PostbackUriEchoedAsPostBackUri()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop",
            """{"TYPE":"launchuri","Payload":{"URI":"http://example.com/x"},"postbackURI":"https://example.com/back"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonObject command = await ReadJsonAsync(response);
        Assert.Equal("LaunchUri", command["type"]!.GetValue<string>());
        Assert.Equal("https://example.com/back", command["postBackUri"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("me/devices/emu-laptop/command")]
    [InlineData("ME/Devices/emu-laptop/COMMANDS")]
    [InlineData("me/devices/emu-laptop/commands/")]
    public async Task PostCommand_SingularSegmentOrOtherCase_IsTheSameEndpoint(string path)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.Http.PostAsync(path, Json(LaunchUriBody()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PostCommand_UnknownDevice_Answers404ResourceNotFound()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.PostAsync("no-such-device", LaunchUriBody());

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("\"LaunchUri\"")]
    [InlineData("""{"type":42}""")]
    [InlineData("""{"type":"AppService","appServiceName":["a"],"packageFamilyName":"p"}""")]
    [InlineData("""{"type":"LaunchUri","payload":{"uri":"https://bing.com"},"postBackUri":{}}""")]
    [InlineData("""{"type":"LaunchUri","payload":{"uri":"https://bing.com"}""")]
    public async Task PostCommand_MalformedBody_Answers400BadRequest(string body)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Empty(emu.Emulator.GetCommands());
    }

    [Theory]
    [InlineData("""{"payload":{"uri":"https://bing.com"}}""", "no 'type'")]
    [InlineData("""{"type":"Reboot"}""", "'Reboot'")]
    [InlineData("""{"type":"LaunchUri"}""", "payload.uri")]
    [InlineData("""{"type":"LaunchUri","payload":"payload-JSON"}""", "payload.uri")]
    [InlineData("""{"type":"LaunchUri","payload":{"uri":"/relative"}}""", "payload.uri")]
    [InlineData("""{"type":"AppService","packageFamilyName":"p"}""", "appServiceName")]
    [InlineData("""{"type":"AppService","appServiceName":"a"}""", "packageFamilyName")]
    public async Task PostCommand_ACommandTheDeviceCannotRun_IsAccepted_AndEndsExecutionFailedSayingWhy(string body, string why)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        string id = await emu.CreateAsync("emu-laptop", body);
        emu.Time.Advance(TimeSpan.FromSeconds(3));
        JsonObject command = await emu.GetCommandObjectAsync("emu-laptop", id);

        Assert.Equal("executionFailed", command["status"]!.GetValue<string>());
        Assert.Contains(why, command["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/file")]
    [InlineData("ms-settings:display")]
    [InlineData("HTTPS://BING.COM")]
    public async Task PostCommand_LaunchUriOfAnyScheme_Completes(string uri)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        string id = await emu.CreateAsync("emu-laptop", LaunchUriBody(uri));
        emu.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("completed", (await emu.GetCommandObjectAsync("emu-laptop", id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostCommand_BodyOverMaxRequestBodyBytes_Answers413()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        string big = $$$"""{"type":"AppService","appServiceName":"a","packageFamilyName":"p","payload":{"blob":"{{{new string('x', 2000)}}}"}}""";

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", big);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge");
    }

    [Fact]
    public async Task PostCommand_ChunkedBodyOverMaxRequestBodyBytes_Answers413()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        using MemoryStream stream = new(Encoding.UTF8.GetBytes(new string(' ', 5000) + LaunchUriBody()));
        using StreamContent content = new(stream); // no Content-Length: sent chunked

        using HttpResponseMessage response = await emu.Http.PostAsync("me/devices/emu-laptop/commands", content);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge");
    }

    [Fact]
    public async Task PostCommand_BodyExactlyAtTheLimit_IsAccepted()
    {
        string body = LaunchUriBody();
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.MaxRequestBodyBytes = Encoding.UTF8.GetByteCount(body));

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task GetCommand_Quirky_IsWrappedInValueWithNullStrings()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage response = await emu.GetCommandAsync("emu-laptop", id);

        JsonObject body = await ReadJsonAsync(response);
        JsonObject command = body["value"]!.AsObject();
        Assert.Equal(id, command["id"]!.GetValue<string>());
        Assert.Equal("requesting", command["status"]!.GetValue<string>());
        foreach (string name in new[] { "appServiceName", "packageFamilyName", "error", "responsepayload", "permissionTicket", "postBackUri" })
        {
            Assert.Equal("null", command[name]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task GetCommand_Clean_IsAPlainObjectWithoutNulls()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.CleanJson = true);
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage response = await emu.GetCommandAsync("emu-laptop", id);

        JsonObject command = await ReadJsonAsync(response);
        Assert.Equal(["id", "status", "type", "payload"], command.Select(p => p.Key));
    }

    [Fact]
    public async Task GetCommand_UnknownCommand_Answers404()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.GetCommandAsync("emu-laptop", "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266â€¦");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Fact]
    public async Task GetCommand_OnAnotherDevice_Answers404()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage response = await emu.GetCommandAsync("emu-broken-hub", id);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Fact]
    public async Task GetCommand_UnknownDevice_Answers404()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop");

        using HttpResponseMessage response = await emu.GetCommandAsync("emu-nowhere", id);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Theory]
    [InlineData("responsePayload")]
    [InlineData("responsepayload")]
    public async Task GetResponsePayload_CompletedAppServiceQuirky_IsTheDocumentedBodyPlusTheAppsAnswerWithEveryKey(string segment)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop", AppServiceBody);
        emu.Time.Advance(TimeSpan.FromSeconds(3));

        using HttpResponseMessage response = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/{segment}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject payload = await ReadJsonAsync(response);
        Assert.Equal(["@odata.context", "MsIgnoredParameter", "CreationDate", "Type", "AppServiceResponse"], payload.Select(p => p.Key));
        Assert.Equal("https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse", payload["@odata.context"]!.GetValue<string>());
        Assert.Equal(0, payload["MsIgnoredParameter"]!.GetValue<int>());
        Assert.Equal("04/27/2026", payload["CreationDate"]!.GetValue<string>());
        Assert.Equal("Ok", payload["Type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Type":"Toast","Title":"Hello","Subtitle":"World!"}"""), payload["AppServiceResponse"]));
    }

    [Fact]
    public async Task GetResponsePayload_CompletedAppServiceClean_IsTheSameContentInCamelCaseWithAnIsoDate()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.CleanJson = true);
        string id = await emu.CreateAsync("emu-laptop", AppServiceBody);
        emu.Time.Advance(TimeSpan.FromSeconds(10));

        using HttpResponseMessage response = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");

        JsonObject payload = await ReadJsonAsync(response);
        Assert.Equal(["@odata.context", "msIgnoredParameter", "creationDate", "type", "appServiceResponse"], payload.Select(p => p.Key));
        Assert.Equal("Ok", payload["type"]!.GetValue<string>());
        Assert.Equal(0, payload["msIgnoredParameter"]!.GetValue<int>());
        Assert.Equal(new DateTimeOffset(2026, 4, 27, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(payload["creationDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Toast", payload["appServiceResponse"]!["Type"]!.GetValue<string>());
        Assert.Equal("Hello", payload["appServiceResponse"]!["Title"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetCommand_CompletedAppService_CarriesTheResponsePayload()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop", AppServiceBody);
        emu.Time.Advance(TimeSpan.FromSeconds(3));

        JsonObject command = await emu.GetCommandObjectAsync("emu-laptop", id);

        Assert.Equal("completed", command["status"]!.GetValue<string>());
        Assert.Equal("Ok", command["responsepayload"]!["Type"]!.GetValue<string>());
        Assert.Equal("Toast", command["responsepayload"]!["AppServiceResponse"]!["Type"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetResponsePayload_NotCompletedYet_Answers204WithNoBody()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-laptop", AppServiceBody);

        using HttpResponseMessage response = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetResponsePayload_FailedCommand_Answers204WithNoBody()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string id = await emu.CreateAsync("emu-broken-hub", AppServiceBody);
        emu.Time.Advance(TimeSpan.FromMinutes(1));

        using HttpResponseMessage response = await emu.Http.GetAsync($"me/devices/emu-broken-hub/commands/{id}/responsePayload");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData(false, """{"@odata.context":"https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse","MsIgnoredParameter":0,"CreationDate":"04/27/2026","Type":"Ok"}""")]
    [InlineData(true, """{"@odata.context":"https://graph.microsoft.com/devices/$metadata#microsoft.graph.PayloadResponse","msIgnoredParameter":0,"creationDate":"2026-04-27T00:00:00+00:00","type":"Ok"}""")]
    public async Task GetResponsePayload_CompletedLaunchUri_IsExactlyTheReferencePagesBody(bool clean, string expected)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.CleanJson = clean);
        string id = await emu.CreateAsync("emu-laptop");
        emu.Time.Advance(TimeSpan.FromSeconds(3));

        using HttpResponseMessage response = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetResponsePayload_CreationDate_IsTheCompletionDayOnTheEmulatorsClock()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.StepDelay = TimeSpan.FromHours(5));
        string id = await emu.CreateAsync("emu-laptop");
        emu.Time.Advance(TimeSpan.FromDays(30));

        using HttpResponseMessage response = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");

        // posted 2026-04-27 10:00 UTC, completed three steps of 5 h later: 2026-04-28 01:00 UTC
        Assert.Equal("04/28/2026", (await ReadJsonAsync(response))["CreationDate"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("me")]
    [InlineData("me/devices/emu-laptop")]
    [InlineData("me/devices/emu-laptop/commands/x/y/z")]
    [InlineData("me/devices//commands")]
    [InlineData("me/devices/emu-laptop/things")]
    public async Task UnknownPath_Answers404ResourceNotFound(string path)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.Http.GetAsync(path);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Fact]
    public async Task PathOutsideBeta_Answers404ResourceNotFound()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage response = await emu.Http.GetAsync(new Uri(emu.Emulator.BaseUrl, "/v1.0/me/devices"));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Fact]
    public async Task WrongMethod_Answers405WithAllow()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        using HttpResponseMessage get = await emu.Http.GetAsync("me/devices/emu-laptop/commands");
        using HttpResponseMessage post = await emu.Http.PostAsync("me/devices", Json("{}"));

        await AssertErrorAsync(get, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        Assert.Equal(["POST"], get.Content.Headers.Allow);
        await AssertErrorAsync(post, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
    }

    [Fact]
    public async Task RequireToken_RequestWithoutBearer_Answers401InvalidAuthenticationToken()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.RequireToken = true);

        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");
        using HttpRequestMessage basic = new(HttpMethod.Get, "me/devices");
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwdw==");
        using HttpResponseMessage basicResponse = await emu.Http.SendAsync(basic);
        using HttpRequestMessage empty = new(HttpMethod.Get, "me/devices");
        empty.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
        using HttpResponseMessage emptyResponse = await emu.Http.SendAsync(empty);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await AssertErrorAsync(basicResponse, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken");
        await AssertErrorAsync(emptyResponse, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken");
    }

    [Fact]
    public async Task RequireToken_AnyBearerToken_IsAccepted_OnEveryEndpoint()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.RequireToken = true);
        emu.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "anything-at-all");

        using HttpResponseMessage devices = await emu.Http.GetAsync("me/devices");
        string id = await emu.CreateAsync("emu-laptop", AppServiceBody);
        JsonObject command = await emu.GetCommandObjectAsync("emu-laptop", id);
        emu.Time.Advance(TimeSpan.FromSeconds(3));
        using HttpResponseMessage payload = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");

        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Equal("requesting", command["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, payload.StatusCode);
    }

    [Theory]
    [InlineData("a/b?c#d")]
    [InlineData("100% sure")]
    [InlineData("héllo ☃ 设备")]
    [InlineData("semi;colon+plus&amp=eq")]
    [InlineData("%2F")]
    public async Task OpaqueDeviceId_WithReservedCharacters_IsMatchedAsOneSegment(string deviceId)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.Devices = [new EmulatedDevice(deviceId), new EmulatedDevice("other")]);

        string id = await emu.CreateAsync(deviceId, AppServiceBody);
        JsonObject command = await emu.GetCommandObjectAsync(deviceId, id);
        emu.Time.Advance(TimeSpan.FromSeconds(3));
        using HttpResponseMessage payload = await emu.Http.GetAsync($"me/devices/{Segment(deviceId)}/commands/{id}/responsePayload");

        Assert.Equal(id, command["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, payload.StatusCode);
        Assert.Equal(deviceId, emu.Emulator.GetCommands().Single().DeviceId);
    }

    [Fact]
    public async Task OpaqueDeviceId_SentUnencodedWithSlash_IsNotMatched()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.Devices = [new EmulatedDevice("a/b")]);

        using HttpResponseMessage response = await emu.Http.PostAsync("me/devices/a/b/commands", Json(LaunchUriBody()));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFound");
    }
}
