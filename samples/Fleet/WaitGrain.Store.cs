using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DeviceCommands.Samples.Fleet;

/// <summary>A wait's writes of its state, confirmed through a stalled store, and its log messages.</summary>
public sealed partial class WaitGrain
{
    /// <summary>
    /// Writes the state, confirmed: a write that fails or times out (the store stalls) is read back. Stored as written:
    /// done. The ETag unchanged (it did not land): written again from what this activation holds. Anything else:
    /// another activation wrote, and <see cref="InconsistentStateException"/> stops this one. Gives up after
    /// <see cref="FleetSilo.StoreStall"/> and more, keeping what it holds: the next step writes it.
    /// </summary>
    private async Task WriteAsync()
    {
        S.Writes++;
        _unwritten = true;
        var mine = JsonSerializer.Serialize(S);
        var until = DateTimeOffset.UtcNow + FleetSilo.StoreStall + FleetSilo.StoreStall;
        while (true)
        {
            var etag = state.Etag;
            try
            {
                await state.WriteStateAsync();
                (_unwritten, _inDoubt) = (false, null);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // an ETag conflict is this activation's own when an earlier write of it, given up on, landed late
                var earlier = _inDoubt;
                if (e is InconsistentStateException && earlier is null)
                {
                    throw;
                }

                LogWriteInDoubt(logger, e, this.GetPrimaryKeyString());
                _inDoubt = mine;
                if (!await ReadBackAsync(until))
                {
                    state.State = JsonSerializer.Deserialize<WaitState>(mine)!;
                    throw;
                }

                var stored = JsonSerializer.Serialize(S);
                if (stored == mine)
                {
                    (_unwritten, _inDoubt) = (false, null);
                    return;
                }

                if (state.Etag != etag && stored != earlier)
                {
                    throw new InconsistentStateException($"Wait {this.GetPrimaryKeyString()}: another activation wrote its state.", state.Etag, etag);
                }

                // not stored (or only an earlier write of this activation): written again from what this activation holds
                state.State = JsonSerializer.Deserialize<WaitState>(mine)!;
            }
        }
    }

    /// <summary>Reads the stored state (and its ETag) back, trying every second until <paramref name="until"/>; false if the store never answered.</summary>
    private async Task<bool> ReadBackAsync(DateTimeOffset until)
    {
        while (true)
        {
            try
            {
                await state.ReadStateAsync();
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException && DateTimeOffset.UtcNow < until)
            {
                LogWriteInDoubt(logger, e, this.GetPrimaryKeyString());
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return false;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Wait {Key}: another activation stored first; this one stops without sending.")]
    private static partial void LogStale(ILogger logger, string key);

    [LoggerMessage(2, LogLevel.Warning, "Wait {Key}: a step failed; it is tried again in 1 s.")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(4, LogLevel.Warning, "Wait {Key}: a write of its state failed or came back late; it is read back and confirmed.")]
    private static partial void LogWriteInDoubt(ILogger logger, Exception exception, string key);

    [LoggerMessage(3, LogLevel.Warning, "Wait {Key}: the POST got no answer; the command may exist, and is not sent again.")]
    private static partial void LogPostInDoubt(ILogger logger, Exception exception, string key);
}
