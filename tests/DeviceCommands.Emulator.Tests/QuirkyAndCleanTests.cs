using System.Globalization;
using System.Text.Json.Nodes;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests;

/// <summary>Quirky and clean JSON differ only in spelling ("null" strings, PascalCase or camelCase, wrappers, date format), never in shape or content.</summary>
public sealed class QuirkyAndCleanTests
{
    /// <summary>
    /// Every answer of one scenario, spelled the same way: keys lower-cased, <c>{"value":{...}}</c> unwrapped, the string
    /// <c>"null"</c> and nulls dropped, dates as ISO 8601.
    /// </summary>
    private static async Task<List<string>> AnswersAsync(bool clean)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true, o => o.CleanJson = clean);
        List<string> answers = [];

        async Task ReadAsync(string path)
        {
            using HttpResponseMessage response = await emu.Http.GetAsync(path);
            string text = await response.Content.ReadAsStringAsync();
            answers.Add($"{path} {(int)response.StatusCode} {(text.Length == 0 ? "" : Normalize(JsonNode.Parse(text))?.ToJsonString())}");
        }

        async Task<string> PostAsync(string deviceId, string body)
        {
            using HttpResponseMessage response = await emu.PostAsync(deviceId, body);
            JsonNode created = Normalize(JsonNode.Parse(await response.Content.ReadAsStringAsync()))!;
            string id = created["id"]!.GetValue<string>();
            answers.Add($"POST {deviceId} {(int)response.StatusCode} {created.ToJsonString().Replace(id, "<new>", StringComparison.Ordinal)}");
            return id;
        }

        await ReadAsync("me/devices");
        string launch = await PostAsync("emu-laptop", LaunchUriBody());
        string app = await PostAsync("emu-laptop", AppServiceBody);
        string failing = await PostAsync("emu-broken-hub", AppServiceBody);
        string odd = await PostAsync("emu-laptop", """{"type":"AppService","appServiceName":"a","packageFamilyName":"p","payload":"payload-JSON","postbackURI":"https://example.com/back"}""");
        await ReadAsync("me/devices/nope/commands/x");
        foreach (int _ in Enumerable.Range(0, 4))
        {
            foreach (string id in new[] { launch, app, odd })
            {
                await ReadAsync($"me/devices/emu-laptop/commands/{id}");
                await ReadAsync($"me/devices/emu-laptop/commands/{id}/responsePayload");
            }

            await ReadAsync($"me/devices/emu-broken-hub/commands/{failing}");
            emu.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return [.. answers.Select(a => a.Replace(launch, "<launch>", StringComparison.Ordinal).Replace(app, "<app>", StringComparison.Ordinal)
            .Replace(failing, "<failing>", StringComparison.Ordinal).Replace(odd, "<odd>", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task EveryAnswer_QuirkyAndClean_HasTheSameShapeAndContent()
    {
        List<string> quirky = await AnswersAsync(clean: false);
        List<string> clean = await AnswersAsync(clean: true);

        Assert.Equal(quirky, clean);
        Assert.Contains(quirky, a => a.Contains("\"appserviceresponse\":{\"type\":\"Toast\"", StringComparison.Ordinal));
        Assert.Contains(quirky, a => a.Contains("\"appserviceresponse\":\"payload-JSON\"", StringComparison.Ordinal));
        Assert.Contains(quirky, a => a.Contains("\"creationdate\":\"2026-04-27T00:00:00.0000000", StringComparison.Ordinal));
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.ContainsKey("value") && obj["value"] is JsonObject inner:
                return Normalize(inner);
            case JsonObject obj:
                JsonObject normalized = [];
                foreach ((string key, JsonNode? value) in obj)
                {
                    if (value is null || (value is JsonValue text && text.TryGetValue(out string? s) && s == "null"))
                    {
                        continue;
                    }

                    string name = key.ToLowerInvariant();
                    normalized[name] = name == "creationdate"
                        ? DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)
                        : Normalize(value);
                }

                return normalized;
            case JsonArray array:
                return new JsonArray([.. array.Select(Normalize)]);
            default:
                return node?.DeepClone();
        }
    }
}
