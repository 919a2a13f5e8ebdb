// A throwaway consumer of the test kit alone (see .ci/consumer-check): restores DeviceCommands.Client and
// DeviceCommands.Testing from a local folder feed, with neither the emulator nor ASP.NET Core, and tests a user's own
// code the README's way: a hand-written double of the service that answers on another thread (as MockHttp does),
// tracked by a VirtualClock, and a wait whose command takes an hour, done in milliseconds. Exit code 0 on success.
using System.Diagnostics;
using System.Net;
using System.Text;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Testing;

var clock = new VirtualClock();
var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
{
    HttpMessageHandler = clock.Track(new HourLongService(clock)), // the double answers on another thread: tracked
    TimeProvider = clock,
});

var real = Stopwatch.StartNew();
var result = await clock.RunAsync(() => client.Me.Devices["pc"].Commands.SendAndWaitAsync(
    Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Timeout = TimeSpan.FromHours(2) }));
real.Stop();

Console.WriteLine($"test kit: {result.Status.ToWireValue()} after {result.Elapsed} of virtual time and {result.Polls} polls, in {real.ElapsedMilliseconds} ms of real time");
return result.Succeeded && result.Elapsed >= TimeSpan.FromHours(1) && real.Elapsed < TimeSpan.FromMinutes(1) ? 0 : 1;

/// <summary>The service as a test double: one command, executing for an hour of the clock's time, then completed.</summary>
internal sealed class HourLongService(TimeProvider clock) : HttpMessageHandler
{
    private readonly DateTimeOffset _done = clock.GetUtcNow().AddHours(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Yield(); // like MockHttp: the answer comes from another thread
        var (status, body) = request.Method == HttpMethod.Post
            ? (HttpStatusCode.Created, """{"id":"c1","status":"requesting"}""")
            : (HttpStatusCode.OK, $$"""{"id":"c1","status":"{{(clock.GetUtcNow() >= _done ? "completed" : "executing")}}"}""");
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
