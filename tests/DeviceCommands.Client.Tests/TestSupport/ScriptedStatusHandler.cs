using System.Net;
using System.Text;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>
/// An in-memory transport for the waiting tests: answers status GETs from a script (the last entry repeats once the
/// script runs out), records each request's method, URL and the fake clock's time, answers at most one scripted POST,
/// and fails the test on any other request.
/// </summary>
internal sealed class ScriptedStatusHandler : HttpMessageHandler
{
    private readonly TimeProvider _clock;
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();
    private readonly List<Recorded> _requests = [];
    private Func<HttpRequestMessage, HttpResponseMessage>? _last;
    private Func<HttpRequestMessage, HttpResponseMessage>? _post;

    public ScriptedStatusHandler(TimeProvider clock, string commandId = "cmd-1")
    {
        _clock = clock;
        CommandId = commandId;
    }

    public string CommandId { get; }

    public IReadOnlyList<Recorded> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Called as each GET arrives, before it is answered.</summary>
    public Action? OnEachPoll { get; set; }

    public IReadOnlyList<DateTimeOffset> PollTimes => Requests.Where(r => r.Method == HttpMethod.Get).Select(r => r.At).ToArray();

    /// <summary>Anything other than a GET (and the one scripted POST) that arrived.</summary>
    public List<string> Violations { get; } = [];

    public static string Body(string? status, string? id = "cmd-1") =>
        status is null ? $$"""{"id":"{{id}}"}""" : $$"""{"id":"{{id}}","status":"{{status}}"}""";

    public ScriptedStatusHandler Status(params string[] statuses)
    {
        foreach (var status in statuses)
        {
            Respond(HttpStatusCode.OK, Body(status, CommandId));
        }

        return this;
    }

    public ScriptedStatusHandler Respond(HttpStatusCode code, string? body = null, params (string Name, string Value)[] headers)
    {
        Enqueue(_ => Make(code, body, headers));
        return this;
    }

    public ScriptedStatusHandler Throw(Func<Exception> exception)
    {
        Enqueue(_ => throw exception());
        return this;
    }

    public ScriptedStatusHandler Enqueue(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    /// <summary>Answers the one POST a send makes.</summary>
    public ScriptedStatusHandler OnPost(HttpStatusCode code, string? body)
    {
        _post = _ => Make(code, body, []);
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(new Recorded(request.Method, request.RequestUri!, _clock.GetUtcNow()));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (request.Method == HttpMethod.Post && _post is { } post)
        {
            _post = null;
            return Task.FromResult(post(request));
        }

        if (request.Method != HttpMethod.Get)
        {
            Violations.Add($"{request.Method} {request.RequestUri}");
            throw new InvalidOperationException($"Only GETs may be sent during a wait; got {request.Method} {request.RequestUri}.");
        }

        OnEachPoll?.Invoke();
        var answer = _script.Count > 0 ? _last = _script.Dequeue() : _last ?? throw new InvalidOperationException("The script is empty.");
        return Task.FromResult(answer(request));
    }

    private static HttpResponseMessage Make(HttpStatusCode code, string? body, (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(code);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    internal sealed record Recorded(HttpMethod Method, Uri Uri, DateTimeOffset At);
}
