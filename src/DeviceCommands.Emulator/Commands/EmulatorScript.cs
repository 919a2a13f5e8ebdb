using System.Net;
using DeviceCommands.Emulator.Commands;
using DeviceCommands.Emulator.Wire;
using Route = DeviceCommands.Emulator.Wire.Route;

namespace DeviceCommands.Emulator;

/// <summary>
/// Scripts a running emulator's next answers and a command's outcome (<see cref="DeviceCommandsEmulator.Script"/>),
/// e.g. <c>Script.NextGets(commandId, 2, HttpStatusCode.ServiceUnavailable)</c> or
/// <c>Script.SetOutcome(commandId, "expired")</c>. Thread-safe. It scripts the service's behaviour, not the bytes on
/// the wire (see "Which fake do I use?" in <c>docs/testing.md</c>).
/// </summary>
/// <remarks>
/// A scripted answer is an OData error given in place of the normal answer, like an injected fault: after the request
/// is counted, recorded and delayed, before the token check; in the order scripted. A scripted answer to a POST
/// creates no command.
/// </remarks>
public sealed class EmulatorScript
{
    private readonly Lock _gate = new();
    private readonly List<ScriptedAnswer> _answers = [];
    private readonly CommandStore _store;

    internal EmulatorScript(CommandStore store) => _store = store;

    /// <summary>How many scripted answers are still to be given (at most <see cref="int.MaxValue"/>).</summary>
    public int PendingAnswers
    {
        get
        {
            lock (_gate)
            {
                // counts of up to int.MaxValue each: their sum can pass it (and Sum's checked arithmetic would throw)
                return (int)Math.Min(_answers.Sum(answer => (long)answer.Remaining), int.MaxValue);
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> GETs of this command (its status, <c>…/commands/{commandId}</c>, or its
    /// <c>…/responsePayload</c>, on any device) are answered <paramref name="statusCode"/>.
    /// </summary>
    /// <param name="commandId">The command's id; it need not exist (yet).</param>
    /// <param name="count">How many GETs, at least 1.</param>
    /// <param name="statusCode">The answer's status, 400 to 599.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send (whole seconds, rounded up); null (default) sends none.</param>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count, status or delay is out of range.</exception>
    public void NextGets(string commandId, int count, HttpStatusCode statusCode, TimeSpan? retryAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(commandId);
        Add(new ScriptedAnswer(HttpMethods.Get, commandId, Check(count, statusCode, retryAfter), (int)statusCode, retryAfter));
    }

    /// <summary>The next <paramref name="count"/> POSTs of a command (to any device) are answered <paramref name="statusCode"/>.</summary>
    /// <param name="count">How many POSTs, at least 1.</param>
    /// <param name="statusCode">The answer's status, 400 to 599 (429 is the one a client may resend after).</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send (whole seconds, rounded up); null (default) sends none.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count, status or delay is out of range.</exception>
    public void NextPosts(int count, HttpStatusCode statusCode, TimeSpan? retryAfter = null) =>
        Add(new ScriptedAnswer(HttpMethods.Post, null, Check(count, statusCode, retryAfter), (int)statusCode, retryAfter));

    /// <summary>
    /// Makes a command end with <paramref name="status"/>: it keeps the statuses its device gives it, and where it would
    /// have ended it has this one instead (at once, if it has ended already). A <c>completed</c> command has its response
    /// payload. Any text is allowed, an unknown status or a non-terminal one (kept for ever) included.
    /// </summary>
    /// <param name="commandId">The id of a command the emulator remembers.</param>
    /// <param name="status">The final status, e.g. <c>expired</c>.</param>
    /// <param name="error">Its <c>error</c> text; null (default) gives the standard text of a failure status.</param>
    /// <exception cref="ArgumentException">The id or status is empty.</exception>
    /// <exception cref="KeyNotFoundException">The emulator remembers no command with this id.</exception>
    public void SetOutcome(string commandId, string status, string? error = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(commandId);
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        StoredCommand command = _store.Find(commandId) ?? throw new KeyNotFoundException($"The emulator remembers no command '{commandId}'.");
        command.Outcome = new ScriptedOutcome(status, error);
    }

    /// <summary>Forgets every scripted answer still to be given (scripted outcomes stay with their commands).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _answers.Clear();
        }
    }

    /// <summary>Takes the scripted answer for this request, if one is due.</summary>
    internal ScriptedAnswer? Take(string method, Route route, string? commandId)
    {
        bool get = HttpMethods.IsGet(method) && route is Route.Command or Route.ResponsePayload;
        bool post = HttpMethods.IsPost(method) && route == Route.Commands;
        if (!get && !post)
        {
            return null;
        }

        lock (_gate)
        {
            for (int i = 0; i < _answers.Count; i++)
            {
                ScriptedAnswer answer = _answers[i];
                if (HttpMethods.Equals(answer.Method, method) && (post || string.Equals(answer.CommandId, commandId, StringComparison.Ordinal)))
                {
                    if (--answer.Remaining == 0)
                    {
                        _answers.RemoveAt(i);
                    }

                    return answer;
                }
            }
        }

        return null;
    }

    private static int Check(int count, HttpStatusCode statusCode, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if ((int)statusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A scripted answer is an error: 400 to 599.");
        }

        if (retryAfter is { } delay && (delay < TimeSpan.Zero || delay > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), delay, "Retry-After must be between 0 and 1 day.");
        }

        return count;
    }

    private void Add(ScriptedAnswer answer)
    {
        lock (_gate)
        {
            _answers.Add(answer);
        }
    }
}

/// <summary>Answers scripted for the next matching requests; <see cref="Remaining"/> is guarded by the script's lock.</summary>
internal sealed class ScriptedAnswer(string method, string? commandId, int count, int statusCode, TimeSpan? retryAfter)
{
    public string Method { get; } = method;

    public string? CommandId { get; } = commandId;

    public int Remaining { get; set; } = count;

    public int StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
