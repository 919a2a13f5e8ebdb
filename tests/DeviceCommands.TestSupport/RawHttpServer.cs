using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DeviceCommands.TestSupport;

/// <summary>
/// A loopback HTTP/1.1 server on raw sockets, for what a fake <see cref="HttpMessageHandler"/> cannot do: connection
/// resets, trickled, half-sent or never-sent bodies, silence, redirects, odd or malformed headers, and counting TCP
/// connections. Every request is recorded; every answer comes from a script of <see cref="Reply"/>s and
/// <see cref="HttpStep"/>s, the step model it shares with the in-process <see cref="ScriptedHandler"/>.
/// </summary>
/// <remarks>
/// <para>A step is chosen for each request, in the order the requests were read: the first <see cref="When"/> rule whose
/// matcher matches (rules are kept, and match again until their count is used up), else the next <see cref="Enqueue"/>d step (each used once),
/// else the <see cref="Otherwise"/> step (by default 500 with a text body saying there was no scripted answer).</para>
/// <para>Connections are kept alive between requests unless a step closes them or the request says
/// <c>Connection: close</c>. A request that is malformed or over <see cref="MaxRequestBytes"/> is answered 400 and its
/// connection closed; it is counted by <see cref="RequestsRejected"/>, not recorded in <see cref="Requests"/>.</para>
/// <para>Beware: <see cref="SocketsHttpHandler"/> silently resends a request (up to 3 times, each on a new connection)
/// when a connection closes gracefully before a byte of the response and before the request's body was sent: a
/// <see cref="Reply.CloseWithoutAnswer"/> to a GET uses up the next step too (script it with <see cref="Otherwise"/>
/// to make the GET fail). A POST whose body was sent, and a <see cref="Reply.Reset"/>, are not resent.</para>
/// <para>Disposal stops listening, cancels the steps that hang and closes every connection; background tasks never
/// throw (socket errors are expected and swallowed; anything else is kept in <see cref="Faults"/>).</para>
/// </remarks>
public sealed class RawHttpServer : IAsyncDisposable
{
    /// <summary>The largest request (head and body) read; a larger one is answered 400.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    private static readonly Reply NoScriptedAnswer = Reply.Respond(
        500, "RawHttpServer: no scripted answer for this request.", "text/plain; charset=utf-8");

    private static readonly TimeSpan LingerOnClose = TimeSpan.FromSeconds(1);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<RawRequest> _requests = [];
    private readonly StepScript _script = new(CheckWire);
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<RawRequest>> Done)> _waiters = [];
    private readonly List<Exception> _faults = [];
    private readonly Dictionary<int, Socket> _sockets = [];
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _open;
    private int _maxOpen;
    private int _rejected;
    private bool _disposed;

    private RawHttpServer(string basePath, IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start(512);
        Address = address;
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        string host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        BaseUrl = new Uri($"http://{host}:{Port}{basePath}");
        _script.Otherwise(NoScriptedAnswer);
        _acceptLoop = Task.Run(AcceptLoopAsync); // on the pool, not on the caller's synchronization context
    }

    /// <summary>The service root, <c>http://127.0.0.1:{port}/beta</c> by default (no trailing slash; an IPv6 address in brackets).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The loopback address it listens on (127.0.0.1 unless <see cref="Start"/> was given another).</summary>
    public IPAddress Address { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>A snapshot of every request read so far, in the order read.</summary>
    public IReadOnlyList<RawRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>TCP connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>TCP connections open now (the server notices a client's close on its next read).</summary>
    public int ConnectionsOpen
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>The most TCP connections open at once so far.</summary>
    public int MaxConnectionsOpen
    {
        get
        {
            lock (_gate)
            {
                return _maxOpen;
            }
        }
    }

    /// <summary>Requests answered 400 because they were malformed or too large.</summary>
    public int RequestsRejected => Volatile.Read(ref _rejected);

    /// <summary>Enqueued steps not used yet.</summary>
    public int RemainingSteps => _script.Queued;

    /// <summary>Unexpected errors on connection tasks (a bug in a step or in the server; a throwing predicate); empty in a healthy run.</summary>
    public IReadOnlyList<Exception> Faults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>Starts a server on a free port of a loopback address (127.0.0.1 by default).</summary>
    /// <param name="basePath">The path of <see cref="BaseUrl"/>: <c>/beta</c> by default, empty for none.</param>
    /// <param name="address">The address to listen on: any loopback address (127.0.0.0/8, <c>::1</c>); 127.0.0.1 when null.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a loopback address.</exception>
    public static RawHttpServer Start(string basePath = "/beta", IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(basePath);
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"RawHttpServer listens on loopback only, not on {address}.", nameof(address));
        }

        basePath = basePath.TrimEnd('/');
        if (basePath.Length > 0 && basePath[0] != '/')
        {
            basePath = "/" + basePath;
        }

        return new RawHttpServer(basePath, address);
    }

    /// <summary>Adds replies to the script: each answers one request, in order.</summary>
    /// <exception cref="ArgumentException">A reply is in-process only (<see cref="Reply.Throw"/>, <see cref="Reply.From"/>).</exception>
    public RawHttpServer Enqueue(params Reply[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (Reply step in steps)
        {
            _script.Enqueue(step);
        }

        return this;
    }

    /// <summary>Answers requests that <paramref name="match"/> with <paramref name="reply"/> (every one, or the first <paramref name="times"/>), before the queued replies; rules are tried in the order added.</summary>
    /// <exception cref="ArgumentException">The reply is in-process only.</exception>
    public RawHttpServer When(RequestMatcher match, Reply reply, int? times = null) => When(new HttpStep(match, reply, times));

    /// <summary>Adds a rule (see <see cref="When(RequestMatcher, Reply, int?)"/>).</summary>
    /// <exception cref="ArgumentException">The reply is in-process only.</exception>
    public RawHttpServer When(HttpStep step)
    {
        _script.When(step);
        return this;
    }

    /// <summary>Answers with <paramref name="step"/> once the script is used up (and no rule matches).</summary>
    /// <exception cref="ArgumentException">The reply is in-process only.</exception>
    public RawHttpServer Otherwise(Reply step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _script.Otherwise(step);
        return this;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were read (e.g. to know a silenced request has arrived).</summary>
    /// <param name="count">The number of requests to wait for.</param>
    /// <param name="timeout">How long to wait; 5 seconds by default.</param>
    /// <exception cref="TimeoutException">Fewer requests came in time.</exception>
    public async Task<IReadOnlyList<RawRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<IReadOnlyList<RawRequest>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return [.. _requests];
            }

            _waiters.Add((count, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
                throw new TimeoutException($"Waited for {count} requests; {_requests.Count} came.");
            }
        }
    }

    /// <summary>Stops listening, cancels hanging steps and closes every connection; returns within about a second.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] connections;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connections = [.. _connections];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Socket[] sockets;
        lock (_gate)
        {
            sockets = [.. _sockets.Values];
            foreach ((_, TaskCompletionSource<IReadOnlyList<RawRequest>> done) in _waiters)
            {
                done.TrySetException(new ObjectDisposedException(nameof(RawHttpServer)));
            }

            _waiters.Clear();
        }

        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }

        try
        {
            await Task.WhenAll([_acceptLoop, .. connections]).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            _stopping.Dispose();
        }
        catch (TimeoutException)
        {
            // A connection task that has not ended yet ends on its own (its socket is closed, its token cancelled);
            // the token source is left to the finalizer-free GC rather than disposed under it.
        }
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            int number = Interlocked.Increment(ref _accepted);
            lock (_gate)
            {
                if (_disposed)
                {
                    socket.Dispose();
                    return;
                }

                _open++;
                _maxOpen = Math.Max(_maxOpen, _open);
                _sockets.Add(number, socket);
                _connections.Add(Task.Run(() => ServeAsync(socket, number, stopping), CancellationToken.None));
            }
        }
    }

    private async Task ServeAsync(Socket socket, int number, CancellationToken stopping)
    {
        NetworkStream? stream = null;
        try
        {
            // Inside the try: a connection accepted just before disposal may start here with its socket already closed
            // (IOException "not allowed on non-connected sockets"), which must end the task like any other close.
            stream = new NetworkStream(socket, ownsSocket: false);
            socket.NoDelay = true;
            var reader = new RequestReader(stream, MaxRequestBytes);
            StepEnd end;
            while (true)
            {
                ParsedRequest? parsed;
                try
                {
                    parsed = await reader.ReadAsync(stopping).ConfigureAwait(false);
                }
                catch (BadRequestException e)
                {
                    Interlocked.Increment(ref _rejected);
                    await stream.WriteAsync(Reply.PlainResponse(400, e.Message, close: true), stopping).ConfigureAwait(false);
                    end = StepEnd.Close;
                    break;
                }

                if (parsed is null)
                {
                    end = StepEnd.Close;
                    break;
                }

                Reply step = Record(parsed, number);
                end = await step.RunAsync(new StepContext(parsed, stream, stopping)).ConfigureAwait(false);
                if (end != StepEnd.KeepAlive)
                {
                    break;
                }
            }

            switch (end)
            {
                case StepEnd.Reset:
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    break;
                case StepEnd.Hang:
                    await DrainAsync(stream, Timeout.InfiniteTimeSpan, stopping).ConfigureAwait(false);
                    break;
                default:
                    // Graceful: FIN, then read what the client still sends until it closes too, so that the close
                    // does not turn into an RST (which can destroy the answer before the client reads it).
                    socket.Shutdown(SocketShutdown.Send);
                    await DrainAsync(stream, LingerOnClose, stopping).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the server is being disposed: expected.
        }
#pragma warning disable CA1031 // A connection task must never fault: keep the error for the test to see.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                _faults.Add(e);
            }
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            lock (_gate)
            {
                _sockets.Remove(number);
                _open--;
            }
        }
    }

    /// <summary>Reads and drops what the client sends until it closes, the time is up, or the server stops.</summary>
    private static async Task DrainAsync(NetworkStream stream, TimeSpan limit, CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cts.CancelAfter(limit);
        byte[] scratch = new byte[4096];
        try
        {
            while (await stream.ReadAsync(scratch, cts.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // Linger time up.
        }
    }

    private Reply Record(ParsedRequest parsed, int connection)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var request = new RawRequest(
                _requests.Count, connection, parsed.Method, parsed.Target, parsed.Version, parsed.Headers.AsReadOnly(), parsed.Body,
                now, Stopwatch.GetElapsedTime(_started, now));
            _requests.Add(request);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _requests.Count)
                {
                    _waiters[i].Done.TrySetResult([.. _requests]);
                    _waiters.RemoveAt(i);
                }
            }

            return _script.Next(StepRequest.From(request), _faults.Add)!;
        }
    }

    private static void CheckWire(Reply reply)
    {
        if (reply.IsInProcessOnly)
        {
            throw new ArgumentException($"{reply} is an in-process reply (an exception or a delegate): RawHttpServer cannot send it; on the wire use Reply.Reset() or Reply.CloseWithoutAnswer().", nameof(reply));
        }
    }
}
