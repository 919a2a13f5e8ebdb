using System.Net;
using System.Text.Json;

namespace DeviceCommands.Emulator.Tests;

/// <summary>The lost-answer fault: the command is created, and its answer never comes back (or another status does).</summary>
public sealed class LostAnswersTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LostAnswerRateOne_CreatesTheCommand_ThenCutsTheConnectionWithoutAnAnswer(bool inMemory)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(inMemory, o => o.LostAnswerRate = 1.0);

        HttpRequestException cut = await Assert.ThrowsAsync<HttpRequestException>(() => emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody("https://example.com/lost")));

        Assert.NotNull(cut);
        EmulatedCommand created = Assert.Single(emu.Emulator.GetCommands());
        Assert.Contains("https://example.com/lost", created.RequestBody, StringComparison.Ordinal);
        Assert.Equal(1, await LostAnswerCountAsync(emu));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task LostAnswerStatus_IsAnsweredInsteadOfThe201_ThoughTheCommandExists(int status)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => (o.LostAnswerRate, o.LostAnswerStatus) = (1.0, status));

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody());

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(emu.Emulator.GetCommands());
        Assert.Equal(1, await LostAnswerCountAsync(emu));
    }

    [Fact]
    public async Task APostThatCreatesNothing_IsAnsweredAsItIs()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.LostAnswerRate = 1.0);

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(emu.Emulator.GetCommands());
        Assert.Equal(0, await LostAnswerCountAsync(emu));
    }

    [Fact]
    public async Task LostAnswers_AreAShareOfThePosts_TheSameForTheSameSeed_AndGetsAreNeverLost()
    {
        async Task<string> PatternAsync()
        {
            await using TestEmulator emu = await TestEmulator.StartAsync(inMemory: true, o => (o.LostAnswerRate, o.LostAnswerStatus, o.Seed) = (0.3, 504, 5));
            var pattern = new char[100];
            for (int i = 0; i < pattern.Length; i++)
            {
                using HttpResponseMessage post = await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody());
                pattern[i] = post.StatusCode == HttpStatusCode.GatewayTimeout ? 'x' : '.';
            }

            Assert.Equal(100, emu.Emulator.GetCommands().Count);
            using HttpResponseMessage get = await emu.Http.GetAsync("me/devices");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            return new string(pattern);
        }

        string first = await PatternAsync();
        string second = await PatternAsync();

        Assert.Equal(first, second);
        Assert.InRange(first.Count(c => c == 'x'), 15, 45);
    }

    [Theory]
    [InlineData(-0.1, null)]
    [InlineData(1.5, null)]
    [InlineData(0.1, 201)]
    [InlineData(0.1, 600)]
    public async Task BadLostAnswerOptions_AreRefusedWithTheirName(double rate, int? status)
    {
        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => TestEmulator.StartAsync(inMemory: true, o => (o.LostAnswerRate, o.LostAnswerStatus) = (rate, status)));

        Assert.StartsWith("LostAnswer", refused.ParamName, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommandLine_SetsTheLostAnswerOptions()
    {
        Assert.True(Program.TryParse(["--lost-answer-rate", "0.1", "--lost-answer-status", "429"], out EmulatorOptions options, out _, out _, out string? error), error);

        Assert.Equal(0.1, options.LostAnswerRate);
        Assert.Equal(429, options.LostAnswerStatus);
        Assert.False(Program.TryParse(["--lost-answer-status", "200"], out _, out _, out _, out _));
    }

    private static async Task<int> LostAnswerCountAsync(TestEmulator emu)
    {
        using HttpClient admin = new(emu.Emulator.CreateHandler());
        using JsonDocument summary = JsonDocument.Parse(await admin.GetStringAsync(new Uri(emu.Emulator.BaseUrl, "/_emulator")));
        return summary.RootElement.GetProperty("lostAnswerCount").GetInt32();
    }
}
