using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Tests.Wire;

/// <summary>A body nested deeper than a payload may be is refused with the limit named, not as invalid JSON.</summary>
public sealed class JsonNestingTests
{
    private static string Command(int payloadDepth, string inner = "") =>
        "{\"type\":\"LaunchUri\",\"payload\":" + new string('[', payloadDepth) + inner + new string(']', payloadDepth) + "}";

    [Theory]
    [InlineData(65)]
    [InlineData(66)]
    [InlineData(10_000)]
    public async Task A_payload_deeper_than_64_levels_is_refused_naming_the_limit(int depth)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true);

        using HttpResponseMessage response = await emu.Http.PostAsync("me/devices/emu-laptop/commands", new StringContent(Command(depth), Encoding.UTF8, "application/json"));
        JsonNode? error = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["error"];

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", error?["code"]?.GetValue<string>());
        Assert.Contains("nests deeper than the limit", error?["message"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("at most 64 levels", error?["message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\":[1,2,{\"b\":[[]]}]}", 5)]
    [InlineData("[[[ ]]]", 3)]
    public void Json_within_the_limit_is_not_too_deep(string json, int maxDepth) =>
        Assert.False(JsonNesting.TooDeep(Encoding.UTF8.GetBytes(json), maxDepth));

    [Theory]
    [InlineData("[[[[1]]]]")]
    [InlineData("[[[{\"a\":1}]]]")]
    [InlineData("{\"a\":{\"b\":{\"c\":{}}}}")]
    [InlineData("[[1, [[")]
    [InlineData("[[{\"a\" : [")]
    public void Json_that_opens_one_level_too_many_is_too_deep(string json) =>
        Assert.True(JsonNesting.TooDeep(Encoding.UTF8.GetBytes(json), 3));

    [Theory]
    [InlineData("[[x")]
    [InlineData("[[[x")]
    [InlineData("[[[ , [")]
    [InlineData("{\"a\":[}")]
    [InlineData("")]
    public void A_syntax_error_before_the_limit_is_not_reported_as_depth(string json) =>
        Assert.False(JsonNesting.TooDeep(Encoding.UTF8.GetBytes(json), 3));
}
