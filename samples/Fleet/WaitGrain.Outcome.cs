using DeviceCommands.Client;

namespace DeviceCommands.Samples.Fleet;

/// <summary>A wait's end: its outcome stored, then reported on the board, and its watchdog stopped.</summary>
public sealed partial class WaitGrain
{
    /// <summary>Stores the outcome, then reports it.</summary>
    private async Task FinishAsync(WaitOutcomeKind kind, string status)
    {
        S.Outcome = new WaitOutcome
        {
            Key = this.GetPrimaryKeyString(),
            Kind = kind,
            Status = status,
            CommandId = S.CommandId,
            ClientRequestId = S.ClientRequestId,
            Posts = S.Posts,
            Polls = S.Checkpoint is { } text ? CommandWaitCheckpoint.Parse(text).Polls : 0,
            Writes = S.Writes + 1,
            IntentSilo = S.IntentSilo,
            Silo = settings.SiloName,
            ResumedByReminder = _resumedByReminder,
            ResumedByCallback = _resumedByCallback,
            CallbackPolls = _callbackPolls,
            AcceptedAtMs = S.AcceptedAt.ToUnixTimeMilliseconds(),
            EndedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await WriteAsync();
        await ReportAsync();
    }

    /// <summary>Records the stored outcome on the board (again, after a crash: the first record stays), and ends.</summary>
    private async Task ReportAsync()
    {
        await board.RecordAsync(S.Outcome!);
        await StopWatchdogAsync();
        _done = true;
        DeactivateOnIdle();
    }

    private async Task StopWatchdogAsync()
    {
        if (await this.GetReminder(Watchdog) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
