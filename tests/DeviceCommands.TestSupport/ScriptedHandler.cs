using System.Net;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>
/// An in-memory transport that answers from a script: queued steps, one per request, then the fallback
/// (<see cref="Respond"/>, set by <see cref="Always"/>, or <see cref="AlwaysHang"/>); without a fallback the last step
/// answers again. It records every request (<see cref="Requests"/>) with the time on the given clock.
/// </summary>
/// <remarks>
/// For waits: <see cref="Status"/> scripts command statuses, <see cref="OnPost"/> answers the one POST of a send,
/// <see cref="GetsOnly"/> refuses (and lists in <see cref="Violations"/>) anything else that is not a GET, and
/// <see cref="OnEachPoll"/> runs as each GET arrives. Answers are made on the caller's thread, so a
/// <c>VirtualClock</c> needs no work mark for them.
/// </remarks>
/// <param name="clock">The clock whose time each request is recorded at; the system clock when null.</param>
/// <param name="commandId">The command id of the bodies <see cref="Status"/> answers with.</param>
public sealed class ScriptedHandler(TimeProvider? clock = null, string commandId = ScriptedHandler.DefaultCommandId) : HttpMessageHandler
{
    /// <summary>The command id of <see cref="Status"/> bodies unless the constructor names another.</summary>
    public const string DefaultCommandId = "cmd-1";

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Queue<Step> _script = new();
    private readonly List<SentRequest> _requests = [];
    private readonly List<string> _violations = [];
    private Step? _last;
    private Step? _hang;
    private Func<HttpRequestMessage, HttpResponseMessage>? _post;

    private delegate Task<HttpResponseMessage> Step(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>The command id of the bodies <see cref="Status"/> answers with.</summary>
    public string CommandId { get; } = commandId;

    /// <summary>Answers every request that no queued step is left for (the fallback); <see cref="Always"/> sets it.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? Respond { get; set; }

    /// <summary>When set (a wait), any request other than a GET and the one POST of <see cref="OnPost"/> is listed in <see cref="Violations"/> and fails.</summary>
    public bool GetsOnly { get; set; }

    /// <summary>Called as each GET arrives, before it is answered.</summary>
    public Action? OnEachPoll { get; set; }

    /// <summary>Every request so far, in order of arrival.</summary>
    public IReadOnlyList<SentRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>When each GET arrived, on the clock.</summary>
    public IReadOnlyList<DateTimeOffset> PollTimes => [.. Requests.Where(r => r.Method == HttpMethod.Get).Select(r => r.At)];

    /// <summary>The requests <see cref="GetsOnly"/> refused, as "METHOD url".</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>A command body: <c>{"id":…,"status":…}</c>, or only the id when <paramref name="status"/> is null.</summary>
    /// <param name="status">The status text.</param>
    /// <param name="id">The command id.</param>
    public static string Body(string? status, string? id = DefaultCommandId) =>
        status is null ? $$"""{"id":"{{id}}"}""" : $$"""{"id":"{{id}}","status":"{{status}}"}""";

    /// <summary>A response with a JSON body (none when <paramref name="body"/> is null), changed by <paramref name="configure"/>.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body text, sent as UTF-8 <c>application/json</c>.</param>
    /// <param name="configure">Changes the response (headers, content).</param>
    public static HttpResponseMessage Response(HttpStatusCode status, string? body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(response);
        return response;
    }

    /// <summary>A response whose body is these bytes, as <c>application/json</c> (no charset).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body, as sent.</param>
    public static HttpResponseMessage Json(HttpStatusCode status, byte[] body) =>
        new(status) { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } } };

    /// <summary>Queues an answer.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="configure">Changes the response (headers, content).</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Answer(HttpStatusCode status, string? body = "{}", Action<HttpResponseMessage>? configure = null) =>
        Then((_, _) => Task.FromResult(Response(status, body, configure)));

    /// <summary>Queues an answer with these headers.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="headers">Response headers, added as given.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Answer(HttpStatusCode status, string? body, params (string Name, string Value)[] headers) =>
        Answer(status, body, r => AddHeaders(r, headers));

    /// <summary>Queues a 200 with the command in each of these statuses, in order.</summary>
    /// <param name="statuses">The status texts.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Status(params string[] statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            Answer(HttpStatusCode.OK, Body(status, CommandId));
        }

        return this;
    }

    /// <summary>Queues a failure of the transport.</summary>
    /// <param name="exception">What the send throws.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Throw(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>Queues a request that is never answered (until its token is cancelled).</summary>
    /// <returns>This handler.</returns>
    public ScriptedHandler Hang() => Then(HangAsync);

    /// <summary>Queues a step of any kind.</summary>
    /// <param name="step">Answers the request.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            _script.Enqueue(new Step(step));
        }

        return this;
    }

    /// <summary>Answers every request after the queued steps with this (sets <see cref="Respond"/>).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="configure">Changes each response (headers, content).</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Always(HttpStatusCode status, string? body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        Respond = _ => Response(status, body, configure);
        return this;
    }

    /// <summary>Leaves every request after the queued steps unanswered (until its token is cancelled).</summary>
    /// <returns>This handler.</returns>
    public ScriptedHandler AlwaysHang()
    {
        Respond = null;
        _hang = HangAsync;
        return this;
    }

    /// <summary>Answers the first POST with this, apart from the queued steps (the one POST of a send-and-wait).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="headers">Response headers, such as <c>Retry-After</c>.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler OnPost(HttpStatusCode status, string? body, params (string Name, string Value)[] headers)
    {
        lock (_gate)
        {
            _post = _ => Response(status, body, r =>
            {
                foreach (var (name, value) in headers)
                {
                    r.Headers.TryAddWithoutValidation(name, value);
                }
            });
        }

        return this;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
        Func<HttpRequestMessage, HttpResponseMessage>? post;
        lock (_gate)
        {
            _requests.Add(new SentRequest(
                request.Method,
                request.RequestUri!,
                _clock.GetUtcNow(),
                request.Headers.Authorization?.ToString(),
                request.Headers.UserAgent.ToString(),
                request.Headers.TryGetValues("client-request-id", out var ids) ? ids.First() : null,
                body));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            post = request.Method == HttpMethod.Post ? _post : null;
            _post = post is null ? _post : null;
        }

        if (post is not null)
        {
            return post(request);
        }

        if (GetsOnly && request.Method != HttpMethod.Get)
        {
            lock (_gate)
            {
                _violations.Add($"{request.Method} {request.RequestUri}");
            }

            throw new InvalidOperationException($"Only GETs may be sent during a wait; got {request.Method} {request.RequestUri}.");
        }

        if (request.Method == HttpMethod.Get)
        {
            OnEachPoll?.Invoke();
        }

        return await NextStep(request)(request, cancellationToken).ConfigureAwait(false);
    }

    private Step NextStep(HttpRequestMessage request)
    {
        lock (_gate)
        {
            if (_script.Count > 0)
            {
                return _last = _script.Dequeue();
            }

            if (Respond is { } respond)
            {
                return (r, _) => Task.FromResult(respond(r));
            }

            return _hang ?? _last ?? throw new InvalidOperationException($"No scripted answer for request {_requests.Count}: {request.Method} {request.RequestUri}");
        }
    }

    private static async Task<HttpResponseMessage> HangAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    }

    private static void AddHeaders(HttpResponseMessage response, (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
    }
}

/// <summary>
/// A request the client sent, as <see cref="ScriptedHandler"/> saw it on the client's side of the wire (a typed method and
/// URI, a few headers); not the emulator's <c>RecordedRequest</c>, which is what a server received.
/// </summary>
/// <param name="Method">The method.</param>
/// <param name="Uri">The URL.</param>
/// <param name="At">When it arrived, on the handler's clock.</param>
/// <param name="Authorization">The Authorization header; null when none.</param>
/// <param name="UserAgent">The User-Agent header; empty when none.</param>
/// <param name="ClientRequestId">The first <c>client-request-id</c> header; null when none.</param>
/// <param name="Body">The body text; null when the request had no content.</param>
public sealed record SentRequest(HttpMethod Method, Uri Uri, DateTimeOffset At, string? Authorization, string? UserAgent, string? ClientRequestId, string? Body);
