using System.Globalization;
using DeviceCommands.Client;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Samples.Fleet;

/// <summary>A wait's polls, one step at a time from the stored checkpoint, with the same schedule on whichever silo it resumes.</summary>
public sealed partial class WaitGrain
{
    /// <summary>One poll from the stored checkpoint; stores the next checkpoint, or the outcome.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var checkpoint = CommandWaitCheckpoint.Parse(S.Checkpoint!);
        CommandPollResult step;
        try
        {
            step = await _client.PollOnceAsync(checkpoint, WaitOptions(), cancellationToken);
        }
        catch (CommandWaitTimeoutException)
        {
            await FinishAsync(WaitOutcomeKind.TimedOut, "timed out");
            return;
        }
        catch (ApiException e)
        {
            await FinishAsync(WaitOutcomeKind.Error, string.Create(CultureInfo.InvariantCulture, $"poll failed: {e.ResponseStatusCode}"));
            return;
        }

        S.Checkpoint = step.Checkpoint.ToString();
        if (step.Result is { } result)
        {
            await FinishAsync(result.Succeeded ? WaitOutcomeKind.Completed : WaitOutcomeKind.Failed, StatusOf(result.Command) ?? "?");
            return;
        }

        await WriteAsync();
    }

    private CommandWaitOptions WaitOptions() => new()
    {
        InitialDelay = settings.InitialDelay,
        MaxDelay = settings.MaxDelay,
        JitterSeed = StableHash(this.GetPrimaryKeyString()), // the same jitter on whichever silo the wait resumes
    };

    /// <summary>The next poll's time, never past the deadline (where the next step times out without a request).</summary>
    private static DateTimeOffset NextPollAt(CommandWaitCheckpoint checkpoint) =>
        checkpoint.NextPollAt is not { } next ? DateTimeOffset.MinValue
        : checkpoint.Deadline is { } deadline && deadline < next ? deadline
        : next;

    private static int StableHash(string text)
    {
        var hash = unchecked((int)2166136261);
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }
}
