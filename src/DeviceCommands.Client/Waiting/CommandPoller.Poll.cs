using System.Diagnostics;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Timing;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client;

/// <summary>A wait's poll: one status GET under the time left to the deadline, its passing failures told apart from the permanent ones.</summary>
internal sealed partial class CommandPoller
{
    /// <summary>
    /// Sends one GET under the time left. Returns the command (null when the answer had no body), or null when the poll
    /// failed in a way <see cref="Transient"/> calls passing, with the answer's <c>Retry-After</c>. Throws on a
    /// permanent error, at the deadline, and on the caller's cancellation. A <see cref="ValueTask{TResult}"/>, awaited
    /// once: a poll answered at once allocates no task of its own.
    /// </summary>
    private async ValueTask<(Command? Command, TimeSpan? AskedDelay)> PollAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_activity is not null)
        {
            // the poll's request span is a child of the wait's span (this async method's flow only)
            Activity.Current = _activity;
        }

        var hints = new ResponseHints();
        using var budget = TimeBudget.Until(_plan.Deadline, _clock, cancellationToken);
        if (budget.IsSpent)
        {
            // the deadline has come: no time is left to read an answer, so the GET is not sent, nor counted in Polls
            // (a failure of an earlier poll stays the timeout's inner exception)
            throw TimedOut();
        }

        if (_polls < int.MaxValue)
        {
            _polls++;
        }

        _wake?.Take(); // callbacks from here on make at most one more GET
        try
        {
            // WaitAsync: even a GetAsync that ignores its token (a mock, a stalled credential) ends at the deadline
            var command = await GetAsync(hints, budget.Token).WaitAsync(budget.Token).ConfigureAwait(false)
                ?? throw NothingReturned();
            _failure = null;
            return (command, RetryHint.From(hints.Headers, _clock.GetUtcNow()));
        }
        catch (ApiException e) when (Transient.IsStatus(e.ResponseStatusCode) && !cancellationToken.IsCancellationRequested)
        {
            _failure = e;
            return (null, RetryHint.From(e.ResponseHeaders, _clock.GetUtcNow()));
        }
        catch (Exception e) when ((e is OperationCanceledException || Transient.IsFailure(e)) && !cancellationToken.IsCancellationRequested)
        {
            // a network failure or an attempt timeout is the poll's failure as it came; a cancellation is the deadline
            // cutting the poll short (the budget spent: its timer may run a hair ahead of the clock, so the loop then
            // sleeps the rest), or one that no one asked for: either way a timeout of this poll, never a bare cancellation.
            // So is a failure the request layer left untyped because the deadline had come (a handler's own timeout then)
            _failure = e is OperationCanceledException || (budget.IsSpent && e is not ApiException) ? Unfinished(e, budget.IsSpent) : e;
            if (_plan.IsOver(_clock.GetUtcNow()))
            {
                throw TimedOut();
            }

            return (null, null);
        }
    }

    /// <summary>
    /// The failure of a poll that a cancellation ended: the deadline, or a cancellation neither the caller nor the
    /// deadline asked for (a handler's or a mock's own). Shaped as an attempt timeout is (an <see cref="ApiException"/>
    /// around a <see cref="TimeoutException"/>), so a timeout's inner exception reads the same however the poll ran out of time.
    /// </summary>
    private ApiException Unfinished(Exception cancellation, bool byDeadline)
    {
        var what = $"The status GET of {(string.IsNullOrWhiteSpace(_commandId) ? "the command" : $"command '{ErrorText.Quote(_commandId)}'")} (poll {_polls})";
        var why = byDeadline
            ? $"{what} did not complete before the wait's deadline: it was still being sent, retried or answered."
            : ErrorText.Sentence($"{what} was cancelled although neither the caller nor the wait's deadline cancelled it: {cancellation.Message}");
        return new ApiException(why, new TimeoutException(why, cancellation));
    }

    /// <summary>
    /// A status GET that returned no command (an empty 2xx body, or a mock's GetAsync not set up for the arguments the
    /// wait passes) ends the wait at once: polling again would ask the same and wait until the deadline for nothing.
    /// </summary>
    private ApiException NothingReturned() =>
        new($"The status GET returned no command (an empty answer; for a mock, a GetAsync not set up for these arguments: use Arg.Any / It.IsAny), so the wait for {(string.IsNullOrWhiteSpace(_commandId) ? "the command" : $"command '{ErrorText.Quote(_commandId)}'")} stopped.");

    /// <summary>
    /// The status GET, its answer's retry hint into <paramref name="hints"/>: the package's own request made again from
    /// the ids (no builder kept or made), whose reader keeps the hint; or through the builder given (a mock, a subclass),
    /// with Kiota's <see cref="HeadersInspectionHandlerOption"/>, which a mock can answer.
    /// </summary>
    private Task<Command?> GetAsync(ResponseHints hints, CancellationToken cancellationToken) =>
        _given is { } given
            ? GetThroughAsync(given, hints, cancellationToken)
            : RequestSender.SendAsync(_adapter, CommandItemRequestBuilder.GetRequest(_adapter, _baseUrl, _deviceId!, _commandId!), Command.CreateFromDiscriminatorValue, cancellationToken, hints);

    private static async Task<Command?> GetThroughAsync(CommandItemRequestBuilder given, ResponseHints hints, CancellationToken cancellationToken)
    {
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var command = await given.GetAsync(c => c.Options.Add(headers), cancellationToken).ConfigureAwait(false);
        hints.Headers = headers.ResponseHeaders;
        return command;
    }
}
