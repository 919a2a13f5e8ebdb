using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.TestSupport;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.IntegrationTests.Promises;

/// <summary>What the promise tests share: clients on the real shared transport, timing, fake credentials, bodies.</summary>
internal static class Promise
{
    /// <summary>The bound on a wait's end, past its deadline, in real time (2-core machine, other builds running).</summary>
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
        await using var server = RawHttpServer.Start();
        server.Enqueue(
            RawStep.Respond(429, ODataErrorBody, "application/json", ("Retry-After", "0")),
            RawStep.Respond(200, Requesting),
            RawStep.Respond(201, Requesting),
            RawStep.Respond(200, Completed),
            RawStep.Respond(201, Completed));
        server.Otherwise(RawStep.Respond(200, Completed));
        var client = Client(server, new FixedCredential("warm-up"));
        await client.Me.Devices["d"].Commands["c"].GetAsync();
        await client.Me.Devices["d"].Commands.PostAsync(DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")));
        await client.Me.Devices["d"].Commands["c"].WaitForCompletionAsync(new CommandWaitOptions { Timeout = TimeSpan.FromSeconds(5) });
        await client.Me.Devices["d"].Commands.SendAndWaitAsync(DeviceCommands.Client.Models.Command.LaunchUri(new Uri("https://bing.com")));
    }

    /// <summary>Runs <paramref name="action"/> and returns what it threw (null for nothing) and how long it took in real time.</summary>
    public static async Task<(Exception? Error, TimeSpan Elapsed)> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await action();
        }
#pragma warning disable CA1031 // the test inspects whatever was thrown
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (e, watch.Elapsed);
        }

        return (null, watch.Elapsed);
    }

    /// <summary>A complete HTTP/1.1 response written byte for byte (for bodies that are not valid UTF-8).</summary>
    public static RawStep RawResponse(int status, string reason, byte[] body, string contentType = "application/json")
    {
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        return RawStep.Raw([.. head, .. body], close: false);
    }

    /// <summary>
    /// Disposes a server, tolerating one fault of RawHttpServer itself: a connection accepted just before disposal, whose
    /// task had not started, makes DisposeAsync throw IOException ("The operation is not allowed on non-connected
    /// sockets") from the NetworkStream constructor, which ServeAsync calls outside its try (RawHttpServer.cs:306).
    /// </summary>
    public static async Task DisposeAsync(RawHttpServer server)
    {
        try
        {
            await server.DisposeAsync();
        }
        catch (IOException)
        {
        }
    }

    public static int Count(this RawHttpServer server, string method) => server.Requests.Count(r => r.Method == method);
}

/// <summary>A credential that gives a fixed token at once, and counts the calls.</summary>
internal sealed class FixedCredential(string token) : TokenCredential
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)));
    }
}

/// <summary>A credential whose <c>GetTokenAsync</c> never returns: it ignores its token, or honours it (then ends in OperationCanceledException).</summary>
internal sealed class StalledCredential(bool honoursCancellation) : TokenCredential
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The synchronous GetToken was called.");

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(Timeout.Infinite, honoursCancellation ? cancellationToken : CancellationToken.None);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>
/// A minimal HTTP/1.1 server on any loopback address (RawHttpServer binds 127.0.0.1 only): answers every request with
/// one fixed 200 JSON body and records the request heads.
/// </summary>
internal sealed class TinyLoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _heads = new();
    private readonly Task _loop;
    private readonly byte[] _answer;

    public TinyLoopbackServer(IPAddress address, string body)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var bytes = Encoding.UTF8.GetBytes(body);
        _answer = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"), .. bytes];
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>The request heads (request line and headers) received.</summary>
    public IReadOnlyList<string> Heads => [.. _heads];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                var head = new List<byte>();
                var buffer = new byte[4096];
                while (!EndsHead(head))
                {
                    var read = await stream.ReadAsync(buffer, _stopping.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.AddRange(buffer.AsSpan(0, read));
                }

                _heads.Enqueue(Encoding.Latin1.GetString([.. head]));
                await stream.WriteAsync(_answer, _stopping.Token);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static bool EndsHead(List<byte> head)
    {
        for (var i = 3; i < head.Count; i++)
        {
            if (head[i - 3] == '\r' && head[i - 2] == '\n' && head[i - 1] == '\r' && head[i] == '\n')
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Captures, at every level, each log entry's formatted message, exception, state keys and values, and every scope.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly ConcurrentQueue<(string Category, LogLevel Level, EventId Event, string Message)> _entries = new();

    /// <summary>Every captured piece of text: messages, exceptions, state keys and values, scope states.</summary>
    public IReadOnlyList<string> Texts => [.. _texts];

    public IReadOnlyList<(string Category, LogLevel Level, EventId Event, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void AddState(object? state)
    {
        if (state is null)
        {
            return;
        }

        _texts.Enqueue(state.ToString() ?? string.Empty);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                _texts.Enqueue(key);
                AddValue(value);
            }
        }
        else if (state is IEnumerable<KeyValuePair<string, object>> nonNullPairs)
        {
            foreach (var (key, value) in nonNullPairs)
            {
                _texts.Enqueue(key);
                AddValue(value);
            }
        }
    }

    private void AddValue(object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                _texts.Enqueue(s);
                return;
            case System.Collections.IEnumerable items:
                _texts.Enqueue(value.ToString() ?? string.Empty);
                foreach (var item in items)
                {
                    _texts.Enqueue(item?.ToString() ?? string.Empty);
                }

                return;
            default:
                _texts.Enqueue(value.ToString() ?? string.Empty);
                return;
        }
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._texts.Enqueue("scope:" + category);
            owner.AddState(state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            owner._entries.Enqueue((category, logLevel, eventId, message));
            owner._texts.Enqueue(message);
            owner._texts.Enqueue(eventId.Name ?? string.Empty);
            if (exception is not null)
            {
                owner._texts.Enqueue(exception.ToString());
            }

            owner.AddState(state);
        }
    }
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
