using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeviceCommands.Testing.Tests;

/// <summary>Tracked requests (Track) over a real socket: the clock stays still until the whole answer, body included, is in.</summary>
public sealed class VirtualClockTrackTests
{
    [Fact]
    public async Task The_clock_does_not_move_while_a_tracked_answers_body_is_still_arriving()
    {
        using var server = new SlowBodyServer(bodyDelay: TimeSpan.FromMilliseconds(300));
        var serving = server.ServeOneAsync();
        var clock = new VirtualClock();
        using var http = new HttpClient(clock.Track(new SocketsHttpHandler()));

        var body = await clock.RunAsync(async () =>
        {
            // a deadline on the clock, as a wait's: it fires only if the clock moves
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5), clock);
            using var response = await http.GetAsync(server.Url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return await response.Content.ReadAsStringAsync(deadline.Token);
        });

        Assert.Equal(SlowBodyServer.Body, body);
        Assert.Equal(VirtualClock.DefaultStart, clock.GetUtcNow());
        await serving;
    }

    /// <summary>A loopback HTTP server that answers one request: the headers at once, the body after a real delay.</summary>
    private sealed class SlowBodyServer(TimeSpan bodyDelay) : IDisposable
    {
        public const string Body = """{"status":"completed"}""";

        private readonly TcpListener _listener = Start();

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public async Task ServeOneAsync()
        {
            using var socket = await _listener.AcceptTcpClientAsync();
            var stream = socket.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var body = Encoding.UTF8.GetBytes(Body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            await stream.FlushAsync();
            await Task.Delay(bodyDelay);
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }

        public void Dispose() => _listener.Stop();

        private static TcpListener Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }
    }
}
