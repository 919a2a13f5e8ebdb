using System.Net;
using System.Net.Http.Headers;

namespace DeviceCommands.Emulator.PostBacks;

/// <summary>
/// Sends postbacks: one POST each, under <see cref="Timeout"/> on the emulator's clock, never retried, its answer
/// ignored. Through <see cref="EmulatorOptions.PostBackHandler"/> when set; else over a socket, and only to a loopback
/// host (a postBackUri elsewhere is counted as refused and never contacted). Marked as work on a virtual clock, so
/// the clock does not move while a postback is in flight.
/// </summary>
internal sealed class PostBackSender : IDisposable
{
    /// <summary>The time one postback has: 2 s.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly HttpMessageInvoker _invoker;
    private readonly bool _overSocket;
    private int _sent;
    private int _dropped;
    private int _refused;
    private int _failed;

    public PostBackSender(EmulatorOptions options, CancellationToken stopping)
    {
        _time = options.TimeProvider;
        _stopping = stopping;
        _overSocket = options.PostBackHandler is null;
        _invoker = _overSocket
            ? new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = Timeout, UseCookies = false })
            : new HttpMessageInvoker(options.PostBackHandler!, disposeHandler: false);
    }

    /// <summary>Postbacks sent, answered or not (a duplicate counts twice).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Postbacks never sent: dropped by <see cref="EmulatorOptions.PostBackDropRate"/>.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Postbacks not sent because their postBackUri is not an http(s) URL that the emulator may reach.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Postbacks sent that failed or timed out (no answer).</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Whether a postBackUri may be posted to: absolute http(s), and a loopback host over a socket.</summary>
    public bool MayPostTo(string? postBackUri, out Uri? target)
    {
        target = Uri.TryCreate(postBackUri, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && (!_overSocket || uri.IsLoopback) ? uri : null;
        if (target is null && !string.IsNullOrWhiteSpace(postBackUri))
        {
            Interlocked.Increment(ref _refused);
        }

        return target is not null;
    }

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Zeroes the counters (the emulator's Reset).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _dropped, 0);
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _failed, 0);
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="target"/> once; never throws.</summary>
    public async Task PostAsync(Uri target, byte[] body)
    {
        using ClockWork work = ClockWork.Begin(_time);
        using CancellationTokenSource timeout = new(Timeout, _time);
        using CancellationTokenSource both = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping);
        using HttpRequestMessage request = new(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        Interlocked.Increment(ref _sent);
        try
        {
            using HttpResponseMessage answer = await _invoker.SendAsync(request, both.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or WebException)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void Dispose() => _invoker.Dispose();
}
