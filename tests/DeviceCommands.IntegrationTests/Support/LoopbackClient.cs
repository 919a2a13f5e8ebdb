using System.Net;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests;

/// <summary>The warm-up that timed loopback tests run first, and the address of <c>localhost</c>; their clients come from <see cref="TestClients.Loopback(Uri, TokenCredential?, Action{DeviceCommandsClientOptions}?)"/>.</summary>
internal static class LoopbackClient
{
    private static readonly Lazy<Task> WarmUp = new(WarmUpCoreAsync);

    /// <summary>
    /// Runs every path the timed tests use once per process (JIT of the client, Kiota, Polly and the sockets), so that
    /// a timed test measures the client, not a cold start (over 1 s on this 2-core machine).
    /// </summary>
    public static Task WarmUpAsync() => WarmUp.Value;

    private static async Task WarmUpCoreAsync()
    {
        var probe = StallProbe.Start(); // its first ticks JIT: they would count as a stall in the first timed test
        await Task.Delay(100);
        _ = probe.Stop();

        await using var server = RawHttpServer.Start();
        server.Enqueue(
            Reply.Respond(429, Answers.ODataErrorBody, "application/json", ("Retry-After", "0")),
            Reply.Respond(200, Answers.Requesting),
            Reply.Respond(201, Answers.Requesting),
            Reply.Respond(200, Answers.Completed),
            Reply.Respond(201, Answers.Completed));
        server.Otherwise(Reply.Respond(200, Answers.Completed));
        var client = TestClients.Loopback(server, new FakeCredential("warm-up"));
        await client.Me.Devices["d"].Commands["c"].GetAsync();
        await client.Me.Devices["d"].Commands.PostAsync(DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")));
        await client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(5) });
        await client.Me.Devices["d"].Commands.SendAndWaitAsync(DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")));
    }

    /// <summary>
    /// The address a connection to <c>localhost</c> tries first (127.0.0.1 on this machine; ::1 on many others). A server
    /// for a <c>localhost</c> URL listens there, so that the connection neither depends on a fallback to the other
    /// address nor lands on another test's server that has the same port number in the other address family.
    /// </summary>
    public static IPAddress LocalhostAddress() => Dns.GetHostAddresses("localhost").First(IPAddress.IsLoopback);
}
