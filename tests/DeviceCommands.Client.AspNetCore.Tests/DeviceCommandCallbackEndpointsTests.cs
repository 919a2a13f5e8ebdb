using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceCommands.Client.Callbacks;
using DeviceCommands.Testing;

namespace DeviceCommands.Client.AspNetCore.Tests;

/// <summary>The mapped endpoint over a real socket: its answers, and its refusal to read a long body.</summary>
public sealed class DeviceCommandCallbackEndpointsTests : IAsyncLifetime
{
    private CallbackHost _host = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _host = await CallbackHost.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private CallbackWake Register() => _host.Receiver.Register(TimeProvider.System, ownTerminalTests: false);

    [Fact]
    public async Task A_live_key_is_202_an_unknown_one_404_a_bad_one_400_and_a_long_body_413()
    {
        using var wait = Register();
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync(_host.UrlFor(wait.Key), new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsync(_host.UrlFor(CommandCallbackReceiver.NewKey()), new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync(_host.UrlFor("not-a-key"), new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _http.PostAsync(_host.UrlFor(wait.Key), new ByteArrayContent(new byte[CommandCallbackReceiver.MaxBodyBytes + 1]))).StatusCode);
        var chunked = new StreamContent(new MemoryStream(new byte[200_000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _http.PostAsync(_host.UrlFor(wait.Key), chunked)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync(_host.UrlFor(wait.Key), new ByteArrayContent(new byte[CommandCallbackReceiver.MaxBodyBytes]))).StatusCode);
    }

    [Fact]
    public async Task A_body_announced_over_64_KiB_is_refused_before_it_is_sent()
    {
        using var wait = Register();
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, _host.Address.Port);
        var stream = socket.GetStream();
        var head = $"POST {CallbackHost.Pattern}/{wait.Key} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 413", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_the_waits_own_terminal_test_would_throw_on_is_202_and_runs_none_of_the_callers_code()
    {
        var clock = new VirtualClock();
        var handler = new ScriptedHandler(clock, "cmd-1") { GetsOnly = true }.Always(HttpStatusCode.OK, ScriptedHandler.Body("executing", "cmd-1"));
        var client = TestClients.Created(handler, clock: clock);
        var key = CommandCallbackReceiver.NewKey();
        var start = clock.GetUtcNow();
        var checkpoint = new CommandWaitCheckpoint("dev-1", "cmd-1", 0, start, start + TimeSpan.FromMinutes(1)) { CallbackKey = key };
        var judged = new List<string?>();
        var options = new CommandWaitOptions
        {
            Callbacks = _host.Receiver,
            TimeProvider = clock,
            IsTerminalCommand = c =>
            {
                lock (judged)
                {
                    judged.Add(c.RawStatus);
                }

                return c.RawStatus == "archived" ? throw new InvalidOperationException("the caller's test") : false;
            },
        };
        using var stop = new CancellationTokenSource();
        var wait = client.ResumeWaitAsync(checkpoint, options, stop.Token);

        var answer = await _http.PostAsync(_host.UrlFor(key), new StringContent("""{"id":"cmd-1","status":"archived"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        lock (judged)
        {
            Assert.DoesNotContain("archived", judged);
        }

        Assert.Equal(0, _host.Receiver.ActiveWaits);
    }

    [Fact]
    public async Task Another_method_is_not_the_endpoint()
    {
        using var wait = Register();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.GetAsync(_host.UrlFor(wait.Key))).StatusCode);
    }
}
