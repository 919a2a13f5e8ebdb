using System.Net;
using System.Text.Json.Nodes;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

/// <summary>A running emulator steered from a test through the library: devices, scripted answers and outcomes, recorded requests.</summary>
public sealed class SteeringTests
{
    [Fact]
    public async Task Devices_Add_ListsTheNewDeviceLast_AndAcceptsCommandsForIt()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);

        emu.Emulator.Devices.Add(new EmulatedDevice("pc-42") { Name = "Build PC", Behavior = DeviceBehavior.DropsCommands });
        using HttpResponseMessage list = await emu.Http.GetAsync("me/devices");
        string id = await emu.CreateAsync("pc-42");
        emu.Time.Advance(TimeSpan.FromSeconds(2));

        JsonArray devices = (await ReadJsonAsync(list))["value"]!.AsArray();
        Assert.Equal("pc-42", devices[^1]!["id"]!.GetValue<string>());
        Assert.Equal("Build PC", devices[^1]!["Name"]!.GetValue<string>());
        Assert.Equal(6, emu.Emulator.Devices.Count);
        Assert.Equal("commandDropped", (await emu.GetCommandObjectAsync("pc-42", id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Devices_Add_AnIdAlreadyServedOrEmpty_ThrowsArgumentException()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();

        Assert.Throws<ArgumentException>(() => emulator.Devices.Add(new EmulatedDevice("emu-laptop")));
        Assert.Throws<ArgumentException>(() => emulator.Devices.Add(new EmulatedDevice("")));
        Assert.Throws<ArgumentException>(() => emulator.Devices.Add(new EmulatedDevice("x") { Behavior = (DeviceBehavior)42 }));
        Assert.Equal(5, emulator.Devices.Count);
    }

    [Fact]
    public async Task Devices_Update_ChangesTheBehaviorForCommandsSentAfterwards_InPlace()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        string before = await emu.CreateAsync("emu-laptop");

        EmulatedDevice updated = emu.Emulator.Devices.Update("emu-laptop", d => d with { Behavior = DeviceBehavior.Offline, Status = "Offline" });
        string after = await emu.CreateAsync("emu-laptop");
        emu.Time.Advance(TimeSpan.FromSeconds(3));
        using HttpResponseMessage list = await emu.Http.GetAsync("me/devices");

        Assert.Equal(DeviceBehavior.Offline, updated.Behavior);
        Assert.Equal("completed", (await emu.GetCommandObjectAsync("emu-laptop", before))["status"]!.GetValue<string>());
        Assert.Equal("failedToSend", (await emu.GetCommandObjectAsync("emu-laptop", after))["status"]!.GetValue<string>());
        JsonNode first = (await ReadJsonAsync(list))["value"]![0]!;
        Assert.Equal(("emu-laptop", "Offline"), (first["id"]!.GetValue<string>(), first["Status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Devices_Update_AnUnknownDeviceOrAChangedId_Throws()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();

        Assert.Throws<KeyNotFoundException>(() => emulator.Devices.Update("nope", d => d));
        Assert.Throws<ArgumentException>(() => emulator.Devices.Update("emu-laptop", d => d with { Id = "other" }));
        Assert.Throws<KeyNotFoundException>(() => emulator.Devices["nope"]);
        Assert.Equal("emu-laptop", emulator.Devices["emu-laptop"].Id);
    }

    [Fact]
    public async Task Devices_Remove_TheDeviceIsNoLongerListed_AndItsCommandsAnswer404()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        string id = await emu.CreateAsync("emu-broken-hub");

        Assert.True(emu.Emulator.Devices.Remove("emu-broken-hub"));
        Assert.False(emu.Emulator.Devices.Remove("emu-broken-hub"));
        using HttpResponseMessage list = await emu.Http.GetAsync("me/devices");
        using HttpResponseMessage command = await emu.GetCommandAsync("emu-broken-hub", id);

        Assert.DoesNotContain("emu-broken-hub", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertErrorAsync(command, HttpStatusCode.NotFound, "ResourceNotFound");
        Assert.DoesNotContain(emu.Emulator.Devices, d => d.Id == "emu-broken-hub");
    }

    [Fact]
    public async Task Script_NextGets_TheNextTwoGetsOfThisCommandAnswer503_ThenItsStatus_OtherCommandsUntouched()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        string id = await emu.CreateAsync("emu-laptop");
        string other = await emu.CreateAsync("emu-laptop");

        emu.Emulator.Script.NextGets(id, 2, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(2, emu.Emulator.Script.PendingAnswers);
        using HttpResponseMessage untouched = await emu.GetCommandAsync("emu-laptop", other);
        using HttpResponseMessage first = await emu.GetCommandAsync("emu-laptop", id);
        using HttpResponseMessage second = await emu.Http.GetAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");
        using HttpResponseMessage third = await emu.GetCommandAsync("emu-laptop", id);

        Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        await AssertErrorAsync(first, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        await AssertErrorAsync(second, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(0, emu.Emulator.Script.PendingAnswers);
    }

    [Fact]
    public async Task Script_NextPosts_TheNextPostAnswers429WithRetryAfter2_AndCreatesNoCommand()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);

        emu.Emulator.Script.NextPosts(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(2));
        using HttpResponseMessage throttled = await emu.PostAsync("emu-laptop", LaunchUriBody(), "req-1");
        using HttpResponseMessage accepted = await emu.PostAsync("emu-laptop", LaunchUriBody(), "req-1");

        await AssertErrorAsync(throttled, HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Single(emu.Emulator.GetCommands());
        Assert.Equal((2, 1), (emu.Emulator.PostCount, emu.Emulator.DuplicatePostCount));
    }

    [Fact]
    public async Task Script_AnswersScriptedForTheSameRequests_AreGivenInTheOrderScripted()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);

        emu.Emulator.Script.NextPosts(1, HttpStatusCode.TooManyRequests);
        emu.Emulator.Script.NextPosts(2, HttpStatusCode.BadGateway);
        List<int> codes = [];
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await emu.PostAsync("emu-laptop", LaunchUriBody());
            codes.Add((int)response.StatusCode);
        }

        Assert.Equal([429, 502, 502, 201], codes);
    }

    [Fact]
    public async Task Script_SetOutcome_TheCommandEndsExpired_WhereItWouldHaveCompleted()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        string id = await emu.CreateAsync("emu-laptop");

        emu.Emulator.Script.SetOutcome(id, "expired");
        List<string> seen = [];
        for (int i = 0; i < 4; i++)
        {
            seen.Add((await emu.GetCommandObjectAsync("emu-laptop", id))["status"]!.GetValue<string>());
            emu.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["requesting", "sentToTarget", "executing", "expired"], seen);
        Assert.Equal("expired", emu.Emulator.GetCommands().Single().Status);
    }

    [Fact]
    public async Task Script_SetOutcome_OfAnEndedCommand_AppliesAtOnce_WithItsErrorOrThePayloadOfCompleted()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        string failed = await emu.CreateAsync("emu-offline-phone", AppServiceBody);
        string unknown = await emu.CreateAsync("emu-laptop");
        emu.Time.Advance(TimeSpan.FromMinutes(1));

        emu.Emulator.Script.SetOutcome(failed, "completed");
        emu.Emulator.Script.SetOutcome(unknown, "brandNewStatus", "custom text");
        using HttpResponseMessage payload = await emu.Http.GetAsync($"me/devices/emu-offline-phone/commands/{failed}/responsePayload");
        JsonObject other = await emu.GetCommandObjectAsync("emu-laptop", unknown);

        Assert.Equal(HttpStatusCode.OK, payload.StatusCode);
        Assert.Equal("Toast", (await ReadJsonAsync(payload))["AppServiceResponse"]!["Type"]!.GetValue<string>());
        Assert.Equal(("brandNewStatus", "custom text"), (other["status"]!.GetValue<string>(), other["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Script_InvalidArguments_AreRefused()
    {
        await using DeviceCommandsEmulator emulator = DeviceCommandsEmulator.CreateInMemory();

        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.Script.NextGets("c", 0, HttpStatusCode.ServiceUnavailable));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.Script.NextGets("c", 1, HttpStatusCode.OK));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.Script.NextPosts(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => emulator.Script.NextGets("", 1, HttpStatusCode.ServiceUnavailable));
        Assert.Throws<KeyNotFoundException>(() => emulator.Script.SetOutcome("no-such-command", "expired"));
        Assert.Equal(0, emulator.Script.PendingAnswers);
    }

    [Fact]
    public async Task Script_Clear_ForgetsTheAnswersNotGivenYet()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        emu.Emulator.Script.NextPosts(3, HttpStatusCode.ServiceUnavailable);

        emu.Emulator.Script.Clear();
        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", LaunchUriBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task GetRequests_RecordsMethodPathHeadersBodyTimeAndStatus_WithTheTokenMasked()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true, o => o.RequireToken = true);
        using HttpRequestMessage post = new(HttpMethod.Post, "me/devices/emu-laptop/commands?trace=1") { Content = Json(LaunchUriBody()) };
        UseBearer(post, "eyJ.secret.token");
        post.Headers.Add("client-request-id", "abc");
        (await emu.Http.SendAsync(post)).Dispose();
        emu.Time.Advance(TimeSpan.FromSeconds(5));
        (await emu.Http.GetAsync("me/devices")).Dispose();

        IReadOnlyList<RecordedRequest> requests = emu.Emulator.GetRequests();

        Assert.Equal(2, requests.Count);
        RecordedRequest first = requests[0];
        Assert.Equal(("POST", "/beta/me/devices/emu-laptop/commands?trace=1", (int?)201), (first.Method, first.Path, first.StatusCode));
        Assert.Equal("Bearer ***", first.Headers["authorization"]);
        Assert.Equal("abc", first.Headers["Client-Request-Id"]);
        Assert.Equal(LaunchUriBody(), first.Body);
        Assert.Equal(Start, first.ReceivedAt);
        Assert.Equal(("GET", (int?)401, "", Start.AddSeconds(5)), (requests[1].Method, requests[1].StatusCode, requests[1].Body, requests[1].ReceivedAt));
        Assert.DoesNotContain(requests, r => r.Headers.Values.Any(v => v.Contains("secret", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetRequests_KeepsTheLastMaxRecordedRequests_AndZeroKeepsNone()
    {
        await using TestEmulator few = await TestEmulator.StartAsync(inMemory: true, o => o.MaxRecordedRequests = 3);
        await using TestEmulator none = await TestEmulator.StartAsync(inMemory: true, o => o.MaxRecordedRequests = 0);
        for (int i = 0; i < 5; i++)
        {
            (await few.Http.GetAsync($"me/devices?i={i}")).Dispose();
            (await none.Http.GetAsync("me/devices")).Dispose();
        }

        Assert.Equal(["/beta/me/devices?i=2", "/beta/me/devices?i=3", "/beta/me/devices?i=4"], few.Emulator.GetRequests().Select(r => r.Path));
        Assert.Empty(none.Emulator.GetRequests());
        Assert.Equal(5, none.Emulator.RequestCount);
    }

    [Fact]
    public async Task Reset_GivesAFreshEmulator_TheFirstDevicesBack_NoScriptNoRequestsNoCommands()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);
        await emu.CreateAsync("emu-laptop");
        emu.Emulator.Devices.Remove("emu-laptop");
        emu.Emulator.Devices.Add(new EmulatedDevice("extra"));
        emu.Emulator.Script.NextPosts(1, HttpStatusCode.ServiceUnavailable);

        emu.Emulator.Reset();

        Assert.Equal(EmulatorOptions.DefaultDevices.Select(d => d.Id), emu.Emulator.Devices.Select(d => d.Id));
        Assert.Equal(0, emu.Emulator.Script.PendingAnswers);
        Assert.Empty(emu.Emulator.GetRequests());
        Assert.Empty(emu.Emulator.GetCommands());
        Assert.Equal(0, emu.Emulator.RequestCount);
    }
}
