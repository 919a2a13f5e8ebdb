using System.Net;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>
/// An in-memory transport that answers from a script of <see cref="Reply"/>s and <see cref="HttpStep"/>s, the step model
/// it shares with the raw-socket <see cref="RawHttpServer"/> (which alone can give wire faults: this handler refuses them).
/// Matching <see cref="When(RequestMatcher, Reply, int?)"/> rules first, then queued replies, one per request, then the
/// fallback (<see cref="Otherwise"/>, <see cref="Always"/>, <see cref="AlwaysHang"/>); without one the last reply answers
/// again. It records every request (<see cref="Requests"/>) with the time on the given clock.
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

    private const string JsonUtf8 = "application/json; charset=utf-8";

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly StepScript _script = new(CheckInProcess);
    private readonly List<SentRequest> _requests = [];
    private readonly List<string> _violations = [];
    private Reply? _last;
    private Reply? _post;
    private Func<HttpRequestMessage, HttpResponseMessage>? _respond;

    /// <summary>The command id of the bodies <see cref="Status"/> answers with.</summary>
    public string CommandId { get; } = commandId;

    /// <summary>Answers every request that no queued step is left for (the fallback); <see cref="Always"/> sets it.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? Respond
    {
        get => _respond;
        set
        {
            _respond = value;
            _script.Otherwise(value is null ? null : Reply.From((r, _) => Task.FromResult(value(r))));
        }
    }

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

    /// <summary>Queues replies, each answering one request in order.</summary>
    /// <exception cref="ArgumentException">A reply is a wire fault (<see cref="Reply.IsWireOnly"/>).</exception>
    /// <returns>This handler.</returns>
    public ScriptedHandler Enqueue(params Reply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (Reply reply in replies)
        {
            _script.Enqueue(reply);
        }

        return this;
    }

    /// <summary>Answers requests that <paramref name="match"/> with <paramref name="reply"/> (every one, or the first <paramref name="times"/>), before the queued replies.</summary>
    /// <exception cref="ArgumentException">The reply is a wire fault.</exception>
    /// <returns>This handler.</returns>
    public ScriptedHandler When(RequestMatcher match, Reply reply, int? times = null) => When(new HttpStep(match, reply, times));

    /// <summary>Adds a rule (see <see cref="When(RequestMatcher, Reply, int?)"/>).</summary>
    /// <exception cref="ArgumentException">The reply is a wire fault.</exception>
    /// <returns>This handler.</returns>
    public ScriptedHandler When(HttpStep step)
    {
        _script.When(step);
        return this;
    }

    /// <summary>Answers every request after the queued replies with <paramref name="reply"/>; null for none (the last reply repeats).</summary>
    /// <exception cref="ArgumentException">The reply is a wire fault.</exception>
    /// <returns>This handler.</returns>
    public ScriptedHandler Otherwise(Reply? reply)
    {
        _respond = null;
        _script.Otherwise(reply);
        return this;
    }

    /// <summary>Queues an answer with a JSON body: <c>Enqueue(Reply.Respond(...))</c>, or an in-process reply when <paramref name="configure"/> changes the response.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="configure">Changes the response (headers, content).</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Answer(HttpStatusCode status, string? body = "{}", Action<HttpResponseMessage>? configure = null) =>
        Enqueue(configure is null ? Reply.Respond((int)status, body, JsonUtf8) : Reply.From((_, _) => Task.FromResult(Response(status, body, configure))));

    /// <summary>Queues an answer with these headers (<c>Enqueue(Reply.Respond(...))</c>).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="headers">Response headers, added as given.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Answer(HttpStatusCode status, string? body, params (string Name, string Value)[] headers) =>
        Enqueue(Reply.Respond((int)status, body, JsonUtf8, headers));

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

    /// <summary>Queues a failure of the transport (<c>Enqueue(Reply.Throw(exception))</c>).</summary>
    /// <param name="exception">What the send throws.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Throw(Exception exception) => Enqueue(Reply.Throw(exception));

    /// <summary>Queues a request that is never answered until its token is cancelled (<c>Enqueue(Reply.Silence())</c>).</summary>
    /// <returns>This handler.</returns>
    public ScriptedHandler Hang() => Enqueue(Reply.Silence());

    /// <summary>Queues a step of any kind (<c>Enqueue(Reply.From(step))</c>).</summary>
    /// <param name="step">Answers the request.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step) => Enqueue(Reply.From(step));

    /// <summary>Answers every request after the queued replies with this (<c>Otherwise(Reply.Respond(...))</c>).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="configure">Changes each response (headers, content).</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler Always(HttpStatusCode status, string? body = "{}", Action<HttpResponseMessage>? configure = null)
    {
        Respond = _ => Response(status, body, configure);
        return this;
    }

    /// <summary>Leaves every request after the queued replies unanswered until its token is cancelled (<c>Otherwise(Reply.Silence())</c>).</summary>
    /// <returns>This handler.</returns>
    public ScriptedHandler AlwaysHang() => Otherwise(Reply.Silence());

    /// <summary>Answers the first POST with this, apart from the queued steps (the one POST of a send-and-wait).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The JSON body; null for none.</param>
    /// <param name="headers">Response headers, such as <c>Retry-After</c>.</param>
    /// <returns>This handler.</returns>
    public ScriptedHandler OnPost(HttpStatusCode status, string? body, params (string Name, string Value)[] headers)
    {
        lock (_gate)
        {
            _post = Reply.Respond((int)status, body, JsonUtf8, headers);
        }

        return this;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
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
        Reply? post;
        lock (_gate)
        {
            post = request.Method == HttpMethod.Post ? _post : null;
            _post = post is null ? _post : null;
        }

        if (post is not null)
        {
            return await post.AnswerAsync(request, cancellationToken).ConfigureAwait(false);
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

        return await NextReply(StepRequest.From(request, body)).AnswerAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private Reply NextReply(StepRequest request)
    {
        Reply? reply = _script.Next(request, e => throw new InvalidOperationException("A step's matcher threw.", e));
        lock (_gate)
        {
            return reply is null
                ? _last ?? throw new InvalidOperationException($"No scripted answer for request {_requests.Count}: {request.Method} {request.Path}")
                : _last = reply;
        }
    }

    private static void CheckInProcess(Reply reply)
    {
        if (reply.IsWireOnly)
        {
            throw new ArgumentException($"{reply} is a wire fault: an in-process handler cannot give it; script it on RawHttpServer.", nameof(reply));
        }
    }
}
