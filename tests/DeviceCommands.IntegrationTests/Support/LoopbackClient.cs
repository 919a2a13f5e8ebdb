using System.Net;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests;

/// <summary>Clients made by <c>Create</c> on the real shared transport for a loopback server, and the warm-up that timed tests run first.</summary>
internal static class LoopbackClient
{
    /// <summary>A client made by <c>Create</c> on the shared transport (no handler of its own), for <paramref name="baseUrl"/>.</summary>
    public static DeviceCommandsClient Create(Uri baseUrl, TokenCredential? credential = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        var options = new DeviceCommandsClientOptions { BaseUrl = baseUrl, RetryDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return DeviceCommandsClient.Create(credential, options);
    }

    public static DeviceCommandsClient Create(RawHttpServer server, TokenCredential? credential = null, Action<DeviceCommandsClientOptions>? configure = null) =>
        Create(server.BaseUrl, credential, configure);

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
        var client = Create(server, new FakeCredential("warm-up"));
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
