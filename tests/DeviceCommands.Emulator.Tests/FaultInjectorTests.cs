using System.Diagnostics;
using System.Net;

namespace DeviceCommands.Emulator.Tests;

public sealed class FaultInjectorTests
{
    [Fact]
    public async Task ThrottleRateOne_AnswersEveryRequest429WithRetryAfter()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.ThrottleRate = 1.0);

        using HttpResponseMessage get = await emu.Http.GetAsync("me/devices");
        using HttpResponseMessage post = await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody());

        await TestEmulator.AssertErrorAsync(get, HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.Equal(TimeSpan.FromSeconds(1), get.Headers.RetryAfter?.Delta);
        await TestEmulator.AssertErrorAsync(post, HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.Empty(emu.Emulator.GetCommands());
        Assert.Equal(1, emu.Emulator.PostCount);
    }

    [Fact]
    public async Task ThrottleRetryAfter_IsSentAsWholeSecondsRoundedUp()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.ThrottleRate = 1.0;
            o.ThrottleRetryAfter = TimeSpan.FromSeconds(2.2);
        });

        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");

        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task UnavailableRateOne_AnswersEveryRequest503()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.UnavailableRate = 1.0);

        using HttpResponseMessage response = await emu.PostAsync("emu-laptop", TestEmulator.LaunchUriBody());

        await TestEmulator.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        Assert.Empty(emu.Emulator.GetCommands());
    }

    [Fact]
    public async Task Faults_ComeBeforeTheTokenCheck()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.UnavailableRate = 1.0;
            o.RequireToken = true;
        });

        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task LatencyRateOne_OnTheSystemClock_DelaysEveryAnswerInRealTime()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.TimeProvider = TimeProvider.System;
            o.LatencyRate = 1.0;
            o.Latency = TimeSpan.FromMilliseconds(300);
        });

        Stopwatch stopwatch = Stopwatch.StartNew();
        using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task HalfRates_SameSeed_GiveTheSameFaultsInTheSameOrder()
    {
        async Task<string> RunAsync(int seed)
        {
            await using TestEmulator emu = await TestEmulator.StartAsync(o =>
            {
                o.ThrottleRate = 0.3;
                o.UnavailableRate = 0.3;
                o.Seed = seed;
            });
            List<int> codes = [];
            for (int i = 0; i < 40; i++)
            {
                using HttpResponseMessage response = await emu.Http.GetAsync("me/devices");
                codes.Add((int)response.StatusCode);
            }

            return string.Join(',', codes);
        }

        string first = await RunAsync(7);
        string again = await RunAsync(7);
        string other = await RunAsync(8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains("200", first, StringComparison.Ordinal);
        Assert.Contains("429", first, StringComparison.Ordinal);
        Assert.Contains("503", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_AllRatesZero_NeverFaults()
    {
        FaultInjector faults = new(new EmulatorOptions());

        Assert.False(faults.Enabled);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal((false, Fault.None), faults.Next()));
    }
}
