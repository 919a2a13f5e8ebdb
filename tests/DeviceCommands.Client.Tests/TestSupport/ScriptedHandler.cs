using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>
/// An in-memory transport that answers from a script, one step per request, and records each request with the
/// fake clock's time and its Authorization header (for retry, timing and host-safety tests).
/// </summary>
internal sealed class ScriptedHandler(FakeTimeProvider? clock = null) : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? _then;

    public List<(HttpMethod Method, Uri Uri, string? Authorization, DateTimeOffset At, string? UserAgent, string? ClientRequestId)> Requests { get; } = [];

    public ScriptedHandler Answer(HttpStatusCode status, string body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue((_, _) => Task.FromResult(Response(status, body, configure)));
        return this;
    }

    public ScriptedHandler Throw(Exception exception)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    public ScriptedHandler Hang()
    {
        _script.Enqueue(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    /// <summary>Answers every request after the script runs out.</summary>
    public ScriptedHandler Always(HttpStatusCode status, string body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        _then = (_, _) => Task.FromResult(Response(status, body, configure));
        return this;
    }

    public ScriptedHandler AlwaysHang()
    {
        _then = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable");
        };
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step;
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), clock?.GetUtcNow() ?? default,
                request.Headers.UserAgent.ToString(), request.Headers.TryGetValues("client-request-id", out var ids) ? ids.First() : null));
            step = _script.Count > 0 ? _script.Dequeue() : _then ?? throw new InvalidOperationException($"No scripted answer for request {Requests.Count}: {request.Method} {request.RequestUri}");
        }

        return step(request, cancellationToken);
    }

    public static HttpResponseMessage Response(HttpStatusCode status, string body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        configure?.Invoke(response);
        return response;
    }
}
