using System.Net;
using System.Text;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests.Promises;

/// <summary>What the promise tests share: clients on the real shared transport, timing, bodies, the warm-up.</summary>
internal static class Promise
{
    /// <summary>The bound on a wait's end past its deadline, in real time, beyond the time the machine's timers ran late (<see cref="StallProbe"/>).</summary>
    public static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(500);

    public const string Requesting = "{\"id\":\"c\",\"status\":\"requesting\"}";

    public const string Completed = "{\"id\":\"c\",\"status\":\"completed\"}";

    public const string ODataErrorBody = "{\"error\":{\"code\":\"someCode\",\"message\":\"some message\"}}";

    /// <summary>A JSON object padded with an unknown string property to exactly <paramref name="length"/> bytes.</summary>
    public static string Padded(string json, int length)
    {
        var prefix = json[..^1] + ",\"pad\":\"";
        return prefix + new string('p', length - prefix.Length - 2) + "\"}";
    }

    /// <summary>A client made by <c>Create</c> on the shared transport (no handler of its own), for <paramref name="baseUrl"/>.</summary>
    public static DeviceCommandsClient Client(Uri baseUrl, TokenCredential? credential = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        var options = new DeviceCommandsClientOptions { BaseUrl = baseUrl, RetryDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return DeviceCommandsClient.Create(credential, options);
    }

    public static DeviceCommandsClient Client(RawHttpServer server, TokenCredential? credential = null, Action<DeviceCommandsClientOptions>? configure = null) =>
        Client(server.BaseUrl, credential, configure);

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
            RawStep.Respond(429, ODataErrorBody, "application/json", ("Retry-After", "0")),
            RawStep.Respond(200, Requesting),
            RawStep.Respond(201, Requesting),
            RawStep.Respond(200, Completed),
            RawStep.Respond(201, Completed));
        server.Otherwise(RawStep.Respond(200, Completed));
        var client = Client(server, new FakeCredential("warm-up"));
        await client.Me.Devices["d"].Commands["c"].GetAsync();
        await client.Me.Devices["d"].Commands.PostAsync(DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")));
        await client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(5) });
        await client.Me.Devices["d"].Commands.SendAndWaitAsync(DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")));
    }

    /// <summary>
    /// Runs <paramref name="action"/> and returns what it threw (null for nothing), how long it took in real time, and
    /// how late the machine's timers ran meanwhile (<see cref="StallProbe"/>).
    /// </summary>
    public static async Task<Timed> TimeAsync(Func<Task> action)
    {
        var probe = StallProbe.Start();
        try
        {
            await action();
        }
#pragma warning disable CA1031 // the test inspects whatever was thrown
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new Timed(e, probe.Stop());
        }

        return new Timed(null, probe.Stop());
    }

    /// <summary>A complete HTTP/1.1 response written byte for byte (for bodies that are not valid UTF-8).</summary>
    public static RawStep RawResponse(int status, string reason, byte[] body, string contentType = "application/json")
    {
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        return RawStep.Raw([.. head, .. body], close: false);
    }

    /// <summary>How many requests with <paramref name="method"/> the server has read.</summary>
    public static int Count(this RawHttpServer server, string method) => server.Requests.Count(r => r.Method == method);

    /// <summary>
    /// The address a connection to <c>localhost</c> tries first (127.0.0.1 on this machine; ::1 on many others). A server
    /// for a <c>localhost</c> URL listens there, so that the connection neither depends on a fallback to the other
    /// address nor lands on another test's server that has the same port number in the other address family.
    /// </summary>
    public static IPAddress LocalhostAddress() => Dns.GetHostAddresses("localhost").First(IPAddress.IsLoopback);
}

/// <summary>A transport that records whether it was disposed.</summary>
internal sealed class DisposeRecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
{
    private int _disposed;

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Interlocked.Increment(ref _sent);
        return base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        base.Dispose(disposing);
    }
}

/// <summary>What a timed action threw, and how long it took in real time (<see cref="RealTime"/>).</summary>
internal sealed record Timed(Exception? Error, RealTime Time)
{
    /// <inheritdoc cref="RealTime.AssertWithin"/>
    public void EndedWithin(TimeSpan earliest, TimeSpan latest) => Time.AssertWithin(earliest, latest);

    /// <summary>What a test prints: the time taken, the timers' lateness, and what was thrown.</summary>
    public override string ToString() => $"{Time}: {Error?.GetType().FullName}: {Error?.Message}";
}
