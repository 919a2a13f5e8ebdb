using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests.Admin;

/// <summary>The admin API under hostile but fair use: sums past int.MaxValue, concurrent scripted GETs and steering, seeded random requests; never a 500.</summary>
public sealed class AdminApiRobustnessTests
{
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
}
