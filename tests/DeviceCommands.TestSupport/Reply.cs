using System.Globalization;
using System.Net;
using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>
/// What a scripted fake answers one request with: a response (status, headers, body, <c>Retry-After</c>) or a wire fault
/// (silence, trickle, reset, close, a truncated body, raw bytes). The one answer model of <see cref="RawHttpServer"/>
/// (which can do all of them) and <see cref="ScriptedHandler"/> (which refuses the wire-only ones, <see cref="IsWireOnly"/>,
/// when they are scripted). Made by the static factories; one reply may answer many requests.
/// </summary>
public sealed partial class Reply
{
    private readonly Func<StepContext, Task<StepEnd>>? _wire;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? _inProcess;
    private readonly string _description;
    private readonly ResponseSpec? _response;

    private Reply(string description, Func<StepContext, Task<StepEnd>>? wire, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? inProcess, ResponseSpec? response = null)
    {
        _description = description;
        _wire = wire;
        _inProcess = inProcess;
        _response = response;
    }

    /// <summary>True for a fault only a socket can give (reset, trickle, truncated body, raw bytes...): <see cref="ScriptedHandler"/> refuses it.</summary>
    public bool IsWireOnly => _inProcess is null;

    /// <summary>True for a failure only an in-process handler can give (<see cref="Throw"/>, <see cref="From"/>): <see cref="RawHttpServer"/> refuses it.</summary>
    public bool IsInProcessOnly => _wire is null;

    /// <summary>A complete response (on the wire with Content-Length; kept alive unless the request asked to close).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body, sent as UTF-8; null for no body (and no Content-Type).</param>
    /// <param name="contentType">The Content-Type header; null or empty for none.</param>
    /// <param name="headers">More headers, written as given (duplicates allowed).</param>
    public static Reply Respond(int status, string? body = "", string? contentType = "application/json", params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return FromSpec(new ResponseSpec(status, body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : contentType, headers));
    }

    /// <summary>A copy of this response with more headers; only for <see cref="Respond"/> and <see cref="Redirect"/> replies.</summary>
    /// <exception cref="InvalidOperationException">This reply is not a plain response.</exception>
    public Reply WithHeaders(params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ResponseSpec spec = _response ?? throw new InvalidOperationException($"{this} is not a plain response: only Respond and Redirect take headers.");
        return FromSpec(spec with { Headers = [.. spec.Headers, .. headers] });
    }

    /// <summary>A copy of this response with <c>Retry-After</c> in whole seconds (rounded up).</summary>
    /// <exception cref="InvalidOperationException">This reply is not a plain response.</exception>
    public Reply WithRetryAfter(TimeSpan delay) =>
        WithHeaders(("Retry-After", ((long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));

    /// <summary>A copy of this response with <c>Retry-After</c> as an HTTP date.</summary>
    /// <exception cref="InvalidOperationException">This reply is not a plain response.</exception>
    public Reply WithRetryAfter(DateTimeOffset at) => WithHeaders(("Retry-After", at.ToString("r", CultureInfo.InvariantCulture)));

    /// <summary>A redirect (301, 302, 303, 307, 308, ...) to <paramref name="location"/>, with an empty body.</summary>
    public static Reply Redirect(int status, string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Respond(status, "", null, ("Location", location));
    }

    /// <summary>Reads the request and never answers (until the client gives up or the fake is disposed).</summary>
    public static Reply Silence() => new("Silence", _ => Task.FromResult(StepEnd.Hang), HangAsync);

    /// <summary>Waits <paramref name="delay"/> (a real delay, not a clock's), then answers with <paramref name="then"/>.</summary>
    public static Reply Delay(TimeSpan delay, Reply then)
    {
        ArgumentNullException.ThrowIfNull(then);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new Reply(
            $"Delay({delay.TotalMilliseconds} ms, {then})",
            then._wire is null ? null : async context =>
            {
                await Task.Delay(delay, context.Cancellation).ConfigureAwait(false);
                return await then._wire(context).ConfigureAwait(false);
            },
            then._inProcess is null ? null : async (request, cancellationToken) =>
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                return await then._inProcess(request, cancellationToken).ConfigureAwait(false);
            });
    }

    /// <summary>In process only: the send throws <paramref name="exception"/> (a transport failure as the client's handler sees it).</summary>
    public static Reply Throw(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Reply($"Throw({exception.GetType().Name})", null, (_, _) => Task.FromException<HttpResponseMessage>(exception));
    }

    /// <summary>In process only: answers with whatever <paramref name="answer"/> makes of the request.</summary>
    public static Reply From(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new Reply("From(delegate)", null, answer);
    }

    /// <inheritdoc/>
    public override string ToString() => _description;

    internal Task<StepEnd> RunAsync(StepContext context) =>
        (_wire ?? throw new InvalidOperationException($"{this} is an in-process reply; RawHttpServer cannot send it.")).Invoke(context);

    internal Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        (_inProcess ?? throw new InvalidOperationException($"{this} is a wire fault; ScriptedHandler cannot give it.")).Invoke(request, cancellationToken);

    private static Reply FromSpec(ResponseSpec spec) => new($"Respond({spec.Status})", async context =>
    {
        byte[] body = spec.Body ?? [];
        byte[] head = Head(spec.Status, WithContentType(spec.ContentType, spec.Headers), body.Length, context.Request.WantsClose);
        await context.WriteAsync(context.IsHead ? head : [.. head, .. body]).ConfigureAwait(false);
        return context.Request.WantsClose ? StepEnd.Close : StepEnd.KeepAlive;
    }, (_, _) => Task.FromResult(spec.ToResponse()), spec);

    private static async Task<HttpResponseMessage> HangAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>The parts of a plain response, kept so <see cref="WithHeaders"/> can copy it.</summary>
    private sealed record ResponseSpec(int Status, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers)
    {
        public HttpResponseMessage ToResponse()
        {
            var response = new HttpResponseMessage((HttpStatusCode)Status);
            if (Body is not null)
            {
                response.Content = new ByteArrayContent(Body);
                if (!string.IsNullOrEmpty(ContentType))
                {
                    response.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            foreach ((string name, string value) in Headers)
            {
                if (!response.Headers.TryAddWithoutValidation(name, value))
                {
                    (response.Content ??= new ByteArrayContent([])).Headers.TryAddWithoutValidation(name, value);
                }
            }

            return response;
        }
    }
}
