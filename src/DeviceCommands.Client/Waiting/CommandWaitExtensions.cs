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
/// <para>
/// A wait polls <c>GET me/devices/{id}/commands/{id}</c>: the first poll at once, then on the jittered, growing
/// schedule described on <see cref="CommandWaitOptions"/>, honouring <c>Retry-After</c> and never sleeping past the
/// deadline. Between polls it holds one timer and a few small objects, no thread.
/// </para>
/// <para>
/// Outcomes: a status for which <see cref="CommandWaitOptions.IsTerminal"/> (by default
/// <see cref="ActionStatusExtensions.IsTerminal(ActionStatus)"/>) holds ends the wait with a
/// <see cref="CommandWaitResult"/>, successful or not (see <see cref="CommandWaitResult.EnsureSuccess"/>). What the
/// retry layer also calls transient does not end it: HTTP 408, 429, 500, 502, 503, 504, a network failure
/// (<see cref="HttpRequestException"/>), an attempt timeout; any other error (400, 401, 403, 404, 501, …) ends it at
/// once with the <see cref="ODataError"/>. The timeout ends it with
/// <see cref="CommandWaitTimeoutException"/>, the caller's token with <see cref="OperationCanceledException"/>.
/// A wait only ever sends GETs: cancelling or timing out a wait never cancels the command.
/// </para>
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
    /// Sends the command (one <c>POST</c>, never repeated by the wait), then polls it until its status is terminal. The
    /// POST's answer is the first observation told to <see cref="CommandWaitOptions.Progress"/>; if it is already
    /// terminal, no GET is sent, else the first GET comes <see cref="CommandWaitOptions.InitialDelay"/> after it (or
    /// when the POST's <c>Retry-After</c> says). The timeout counts from before the POST.
    /// With <see cref="CommandWaitOptions.Callbacks"/> (or the client's <see cref="DeviceCommandsClientOptions.Callbacks"/>),
    /// the wait is registered before the POST, which carries the wait's <c>postBackUri</c> unless the command has one
    /// (the caller's instance is not changed); each callback makes the wait poll at once (never more than one GET in
    /// flight and one more queued), and only a GET's answer ends it; polling goes on as the fallback, 5 times slower.
    /// </summary>
    /// <param name="commands">The device's commands, e.g. <c>client.Me.Devices[deviceId].Commands</c>.</param>
    /// <param name="command">The command to send, e.g. <see cref="Command.LaunchUri(Uri)"/>.</param>
    /// <param name="options">The schedule, timeout and observers; null for the defaults.</param>
    /// <param name="cancellationToken">Ends the wait (not the command) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The terminal command, its status, the number of polls (GETs; the POST is not counted) and the time taken.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="ApiException">The service's answer to the POST has no command id.</exception>
    /// <exception cref="ODataError">The POST or a poll failed with a permanent error.</exception>
    /// <exception cref="CommandWaitTimeoutException">The timeout expired first.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
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

        // registered before the POST: a callback that beats the POST's answer wakes the wait's first sleep
        var wake = CommandPoller.RegisterBeforePost(options.Callbacks ?? ClientContext.CallbacksOf(commands.Adapter), options, clock);
        try
        {
            var toSend = wake is not null && string.IsNullOrWhiteSpace(command.PostBackUri) ? command.WithPostBackUri(wake.PostBackUri) : command;
            var (sent, retryAfter) = await PostAsync(commands, toSend, options, clock, startedAt, cancellationToken).ConfigureAwait(false);
            var poller = CommandPoller.Start(commands[sent.Id!], options, startedAt);
            poller.Adopt(operation);
            poller.Attach(wake);
            wake = null; // the poller's now: its loop ends the registration
            poller.ObservePost(sent, retryAfter);
            if (poller.Ends(sent))
            {
                poller.Release();
                poller.RecordEnd(ended: true, cancellationToken);
                operation?.SetTag("devicecommands.polls", 0);
                return poller.ResultFor(sent);
            }

            return await poller.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        using (var budget = TimeBudget.Until(CommandWaitCheckpoint.AddSafely(startedAt, options.Timeout), clock, cancellationToken))
        {
            try
            {
                sent = await commands.PostAsync(command, c => c.Options.Add(headers), budget.Token).WaitAsync(budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (budget.IsSpent)
            {
                ClientMetrics.RecordWait("timed_out", clock.GetUtcNow() - startedAt, polls: 0);
                throw new CommandWaitTimeoutException(null, 0, "The POST that sends the command did not complete before the wait's deadline (it was still being sent, retried or answered), so the command may or may not have been created. It was not sent again.", e);
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
    /// process: same start, same deadline (<see cref="CommandWaitOptions.Timeout"/> is ignored), same place in the
    /// schedule. It sleeps until the checkpoint's <see cref="CommandWaitCheckpoint.NextPollAt"/> if that is still to
    /// come, then polls. A checkpoint whose deadline has passed gets one last poll (or none, when its next poll was
    /// past the deadline) before the timeout. Progress is told of the first observation of the resumed wait.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="checkpoint">The position to continue from.</param>
    /// <param name="options">The schedule and observers (their <see cref="CommandWaitOptions.Timeout"/> is ignored); null for the defaults.</param>
    /// <param name="cancellationToken">Ends the wait (not the command) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The terminal command, its status, the polls of the whole wait and the time since its start.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="CommandWaitTimeoutException">The deadline passed first.</exception>
    /// <exception cref="ODataError">A poll failed with a permanent error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
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
    /// One poll of a wait, for durable workflow engines that sleep with their own timers: polls once now and returns
    /// what it saw, whether the wait is over and the next position (with <see cref="CommandPollResult.NextPollAt"/>).
    /// Store the checkpoint, sleep until <c>NextPollAt</c> (or the deadline, if earlier), and call again. Start with
    /// <see cref="CommandWaitCheckpoint.Start"/>.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="checkpoint">The position after the previous poll.</param>
    /// <param name="options">The schedule and terminal tests (their <see cref="CommandWaitOptions.Timeout"/> is ignored); Progress is told when the status differs from the checkpoint's.</param>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>The poll's outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="CommandWaitTimeoutException">
    /// The deadline has passed and this poll was not terminal, or the checkpoint's next poll is past its deadline
    /// (then no request is sent).
    /// </exception>
    /// <exception cref="ODataError">The poll failed with a permanent error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<CommandPollResult> PollOnceAsync(this DeviceCommandsClient client, CommandWaitCheckpoint checkpoint, CommandWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(checkpoint);
        return CommandPoller.Resume(Builder(client, checkpoint), checkpoint, options).PollOnceAsync(cancellationToken);
    }

    private static CommandItemRequestBuilder Builder(DeviceCommandsClient client, CommandWaitCheckpoint checkpoint) =>
        client.Me.Devices[checkpoint.DeviceId].Commands[checkpoint.CommandId];
}
