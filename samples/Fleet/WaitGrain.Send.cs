using System.Globalization;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Samples.Fleet;

/// <summary>A wait's one POST: the intent stored first, the command sent at most once, a 429 cleared for a new intent.</summary>
public sealed partial class WaitGrain
{
    /// <summary>
    /// Stores the intent (or, after a write that failed, this activation's own unsent one again), sends the command
    /// once, and stores its id and first checkpoint.
    /// </summary>
    private async Task SendAsync()
    {
        if (S.ClientRequestId is null)
        {
            _unsentIntent = Guid.NewGuid().ToString();
            (S.ClientRequestId, S.IntentAt, S.IntentSilo, S.NextSendAt) = (_unsentIntent, DateTimeOffset.UtcNow, settings.SiloName, null);
            S.Posts++;
        }

        // confirmed stored before the POST: if this throws, the intent stays this activation's, known unsent
        await WriteAsync();
        var requestId = S.ClientRequestId!;
        _unsentIntent = null;

        Command? sent;
        try
        {
            var command = Command.LaunchUri(new Uri(S.Uri!));
            command.PostBackUri = PostBackUri()?.AbsoluteUri;
            sent = await _client.Me.Devices[S.DeviceId!].Commands.PostAsync(command, c => c.Headers.Add("client-request-id", requestId));
        }
        catch (ApiException e) when (e.ResponseStatusCode == 429)
        {
            // refused: the service did not take it. A new intent is stored before the next POST.
            (S.ClientRequestId, S.NextSendAt) = (null, DateTimeOffset.UtcNow + RetryAfter(e));
            await WriteAsync();
            return;
        }
        catch (ApiException e) when (e.ResponseStatusCode is >= 400 and < 500)
        {
            await FinishAsync(WaitOutcomeKind.Rejected, string.Create(CultureInfo.InvariantCulture, $"rejected: {e.ResponseStatusCode}"));
            return;
        }
        catch (Exception e)
        {
            // no answer (a 5xx, a reset, a timeout): the command may exist; it is not sent again
            LogPostInDoubt(logger, e, this.GetPrimaryKeyString());
            await FinishAsync(WaitOutcomeKind.Unknown, WaitOutcome.UnknownText);
            return;
        }

        if (string.IsNullOrWhiteSpace(sent?.Id))
        {
            await FinishAsync(WaitOutcomeKind.Unknown, WaitOutcome.UnknownText);
            return;
        }

        S.CommandId = sent.Id;
        var now = DateTimeOffset.UtcNow;
        // with callbacks, the first poll is only the fallback: after the time a command usually takes
        var checkpoint = new CommandWaitCheckpoint(S.DeviceId!, sent.Id, 0, S.AcceptedAt, S.AcceptedAt + settings.WaitTimeout,
            now + (S.CallbackKey is null ? settings.InitialDelay : settings.CallbackFallbackDelay), StatusOf(sent)) { CallbackKey = S.CallbackKey };
        S.Checkpoint = checkpoint.ToString();
        if (sent.Status is { } status && status.IsTerminal())
        {
            await FinishAsync(status.IsSuccess() ? WaitOutcomeKind.Completed : WaitOutcomeKind.Failed, StatusOf(sent) ?? "?");
            return;
        }

        await WriteAsync();
    }

    private static TimeSpan RetryAfter(ApiException e) =>
        e.ResponseHeaders.TryGetValue("Retry-After", out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 60))
            : TimeSpan.FromSeconds(1);
}
