using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Timing;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client;

/// <summary>
/// Waiting for a command to end: <see cref="WaitForCompletionAsync"/>, <see cref="WatchAsync"/>,
/// <see cref="SendAndWaitAsync"/>, and for durable workflows <see cref="ResumeWaitAsync"/> and <see cref="PollOnceAsync"/>.
/// </summary>
/// <remarks>
/// A wait sends GETs only (ending it never cancels the command) until a terminal status, a permanent error
/// (<see cref="ODataError"/>), the timeout (<see cref="CommandWaitTimeoutException"/>) or the caller's cancellation;
/// transient errors do not end it. Schedule and outcomes: docs/waiting.md.
/// </remarks>
public static class CommandWaitExtensions
{
    /// <summary>Polls the command until its status is terminal.</summary>
    /// <param name="command">The command, e.g. <c>client.Me.Devices[deviceId].Commands[commandId]</c>.</param>
    /// <param name="options">The schedule, timeout and observers; null for the defaults (1 s growing to 30 s, 10 minutes).</param>
    /// <param name="cancellationToken">Ends the wait (not the command) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The terminal command, its status, the number of polls and the time taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="CommandWaitTimeoutException">The timeout expired first.</exception>
    /// <exception cref="ODataError">A poll failed with a permanent error (400, 401, 403, 404, …).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<CommandWaitResult> WaitForCompletionAsync(this CommandItemRequestBuilder command, CommandWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CommandPoller.Start(command, options).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Polls the command like <see cref="WaitForCompletionAsync"/> and yields it each time its status changes (the
    /// first observation included; repeated statuses are not yielded), ending after yielding a terminal one.
    /// </summary>
    /// <param name="command">The command, e.g. <c>client.Me.Devices[deviceId].Commands[commandId]</c>.</param>
    /// <param name="options">The schedule, timeout and observers; null for the defaults.</param>
    /// <param name="cancellationToken">Ends the enumeration (not the command) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The sequence of status changes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="CommandWaitTimeoutException">The timeout expired before a terminal status (thrown by the enumeration).</exception>
    /// <exception cref="ODataError">A poll failed with a permanent error (thrown by the enumeration).</exception>
    public static IAsyncEnumerable<Command> WatchAsync(this CommandItemRequestBuilder command, CommandWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CommandPoller.Start(command, options).WatchAsync(cancellationToken);
    }

    /// <summary>
    /// Sends the command (one POST, never repeated by the wait), then polls it until its status is terminal; the
    /// timeout counts from before the POST (docs/waiting.md, "Send and wait").
    /// </summary>
    /// <param name="commands">The device's commands, e.g. <c>client.Me.Devices[deviceId].Commands</c>.</param>
    /// <param name="command">The command to send.</param>
    /// <param name="options">The schedule, timeout and observers; null for the defaults.</param>
    /// <param name="cancellationToken">Ends the wait, not the command.</param>
    /// <returns>The terminal command, its status, the polls and the time taken.</returns>
    /// <exception cref="ArgumentException">An argument is null or an option out of range.</exception>
    /// <exception cref="ApiException">The POST's answer has no id.</exception>
    /// <exception cref="ODataError">The POST or a poll failed with a permanent error.</exception>
    /// <exception cref="CommandWaitTimeoutException">The timeout expired first.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<CommandWaitResult> SendAndWaitAsync(this CommandsRequestBuilder commands, Command command, CommandWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(command);
        options ??= new CommandWaitOptions();
        options.Validate();
        var clock = CommandPoller.ClockFor(options, commands.Adapter);
        var startedAt = clock.GetUtcNow();

        // one trace per operation: the POST and every poll are children of this span
        using var operation = CommandPoller.StartOperation();

        // registered before the POST: a callback that beats the POST's answer wakes the wait's first sleep; the finally
        // below ends the registration however the operation ends (the caller's own Progress or terminal test may throw)
        var wake = CommandPoller.RegisterBeforePost(options.Callbacks ?? ClientContext.CallbacksOf(commands.Adapter), options, clock);
        try
        {
            var toSend = wake is not null && string.IsNullOrWhiteSpace(command.PostBackUri) ? command.WithPostBackUri(wake.PostBackUri) : command;
            var (sent, retryAfter) = await PostAsync(commands, toSend, options, clock, startedAt, cancellationToken).ConfigureAwait(false);
            var poller = CommandPoller.Start(commands[sent.Id!], options, startedAt);
            poller.Adopt(operation);
            poller.Attach(wake);
            poller.ObservePost(sent, retryAfter);
            if (poller.Ends(sent))
            {
                poller.RecordEnd(ended: true, cancellationToken);
                operation?.SetTag("devicecommands.polls", 0);
                return poller.ResultFor(sent);
            }

            return await poller.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (CallerCancellation.NeedsCallersToken(e, cancellationToken))
        {
            CommandPoller.Fail(operation, e);
            throw CallerCancellation.AsCallers(e, cancellationToken);
        }
        catch (Exception e)
        {
            CommandPoller.Fail(operation, e);
            throw;
        }
        finally
        {
            wake?.Dispose();
        }
    }

    /// <summary>The POST of <see cref="SendAndWaitAsync"/>, under the wait's deadline: the created command (with a usable id) and its Retry-After.</summary>
    private static async Task<(Command Sent, TimeSpan? AskedDelay)> PostAsync(CommandsRequestBuilder commands, Command command, CommandWaitOptions options, TimeProvider clock, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        Command? sent;
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var probe = TokenProbe.Start();
        var attempts = AttemptProbe.Start();
        using (var budget = TimeBudget.Until(CommandWaitCheckpoint.AddSafely(startedAt, options.Timeout), clock, cancellationToken))
        {
            try
            {
                sent = await commands.PostAsync(command, c => c.Options.Add(headers), budget.Token).WaitAsync(budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (budget.IsSpent)
            {
                ClientMetrics.RecordWait("timed_out", clock.GetUtcNow() - startedAt, polls: 0);
                throw new CommandWaitTimeoutException(null, 0, probe.Waiting
                    ? "The credential did not give a token before the wait's deadline, so the command was not sent (the service never saw it)."
                    : attempts.AllRefused
                    ? "The service answered the POST that sends the command 429 (Too Many Requests) each time it was sent until the wait's deadline, so the command was not created (the service did not take it)."
                    : "The POST that sends the command did not complete before the wait's deadline (it was still being sent, retried or answered), so the command may or may not have been created. It was not sent again.", e);
            }
        }

        if (sent is null || string.IsNullOrWhiteSpace(sent.Id))
        {
            throw new ApiException("The service accepted the command but its answer carries no command id, so the command cannot be waited for.");
        }

        if (RequestFactory.WhyNotSendable(sent.Id) is { } reason)
        {
            throw new ApiException($"The service created the command, but its id cannot be sent back to ask for its status: {reason} The command was not sent again.");
        }

        return (sent, RetryHint.From(headers.ResponseHeaders, clock.GetUtcNow()));
    }

    /// <summary>
    /// Continues a wait from a checkpoint (see <see cref="CommandWaitOptions.Checkpoint"/>), for example in another
    /// process: same start, deadline and place in the schedule (docs/waiting.md, "Checkpoints").
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="checkpoint">The position to continue from.</param>
    /// <param name="options">The schedule and observers (their <see cref="CommandWaitOptions.Timeout"/> is ignored); null for the defaults.</param>
    /// <param name="cancellationToken">Ends the wait, not the command.</param>
    /// <returns>The terminal command, its status, the polls of the whole wait and the time since its start.</returns>
    /// <exception cref="ArgumentException">An argument is null or an option out of range.</exception>
    /// <exception cref="CommandWaitTimeoutException">The deadline passed first.</exception>
    /// <exception cref="ODataError">A poll failed with a permanent error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<CommandWaitResult> ResumeWaitAsync(this DeviceCommandsClient client, CommandWaitCheckpoint checkpoint, CommandWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var builder = Builder(client, checkpoint);
        return CommandPoller.Resume(builder, checkpoint, options)
            .WithCallbacks(options?.Callbacks ?? ClientContext.CallbacksOf(builder.Adapter))
            .WaitAsync(cancellationToken);
    }

    /// <summary>
    /// One poll of a wait, for durable workflow engines that sleep with their own timers: polls now and returns what it
    /// saw, whether the wait is over and the next position. Start with <see cref="CommandWaitCheckpoint.Start"/>; the
    /// loop around it: docs/waiting.md ("Checkpoints").
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="checkpoint">The position after the previous poll.</param>
    /// <param name="options">The schedule and terminal tests (their Timeout is ignored); null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>The poll's outcome.</returns>
    /// <exception cref="ArgumentException">An argument is null or an option out of range.</exception>
    /// <exception cref="CommandWaitTimeoutException">The deadline passed without a terminal status.</exception>
    /// <exception cref="ODataError">The poll failed with a permanent error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<CommandPollResult> PollOnceAsync(this DeviceCommandsClient client, CommandWaitCheckpoint checkpoint, CommandWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(checkpoint);
        return CommandPoller.Resume(Builder(client, checkpoint), checkpoint, options).PollOnceAsync(cancellationToken);
    }

    private static CommandItemRequestBuilder Builder(DeviceCommandsClient client, CommandWaitCheckpoint checkpoint) =>
        client.Me.Devices[checkpoint.DeviceId].Commands[checkpoint.CommandId];
}
