using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceCommands.Client;
using DeviceCommands.Testing;
using static DeviceCommands.Emulator.Tests.TestEmulator;

namespace DeviceCommands.Emulator.Tests.Hosting;

/// <summary>Disposing an in-memory emulator ends the requests in flight with an HttpRequestException and records them unanswered.</summary>
public sealed class InMemoryDisposeTests
{
    [Fact]
    public async Task DisposeAsync_InMemory_WithFiftyRequestsInFlight_EndsEachWithHttpRequestException_AndRecordsThemUnanswered()
    {
        TestEmulator emu = await StartAsync(inMemory: true, o =>
        {
            o.LatencyRate = 1;
            o.Latency = TimeSpan.FromHours(1); // on the clock moved by hand: never over
        });
        Task<HttpResponseMessage>[] inFlight = [.. Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? emu.Http.GetAsync("me/devices")
            : emu.PostAsync("emu-laptop", LaunchUriBody()))];
        await Task.Yield();

        await emu.Emulator.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Task all = Task.WhenAll(inFlight);
        Exception? ended = await Record.ExceptionAsync(() => all.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.IsType<HttpRequestException>(ended);
        Assert.All(inFlight, t => Assert.IsType<HttpRequestException>(t.Exception?.InnerException));
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.GetAsync("me/devices"));
        Assert.All(emu.Emulator.GetRequests(), r => Assert.Null(r.StatusCode));
        Assert.Equal(0, emu.Emulator.GetCommands().Count(c => c.Status == "completed"));
        emu.Http.Dispose();
    }
}
