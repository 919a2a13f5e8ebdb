using DeviceCommands.Emulator.Commands;

namespace DeviceCommands.Emulator.PostBacks;

/// <summary>
/// Follows each command that carries a postBackUri through its life, on the emulator's clock (one sleep until its next
/// status, no thread), and posts its status resource at every change after the POST's <c>requesting</c>, with the
/// seeded faults: a postback dropped, delayed, sent twice, or held back until after the next one. A postback never
/// holds up the command or the next postback.
/// </summary>
internal sealed class PostBackFollower(EmulatorOptions options, CancellationToken stopping, PostBackSender sender)
{
    private readonly Random _random = new(unchecked(options.Seed * 31 + 0x5057));
    private readonly Lock _gate = new();

    /// <summary>Starts following <paramref name="command"/> when it has a postBackUri the emulator may post to.</summary>
    public void Follow(StoredCommand command)
    {
        if (sender.MayPostTo(command.PostBackUri, out Uri? target))
        {
            _ = FollowAsync(command, target!);
        }
    }

    private async Task FollowAsync(StoredCommand command, Uri target)
    {
        string last = CommandLifecycle.Requesting;
        byte[]? held = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                StatusAt now = CommandLifecycle.StateOf(command, options.TimeProvider.GetUtcNow(), options.StepDelay);
                if (now.Status != last)
                {
                    last = now.Status;
                    byte[] body = CommandJson.Command(command, now, options.CleanJson, wrap: true);
                    (bool drop, bool delay, bool twice, bool hold) = Draw();
                    if (hold && !now.IsTerminal && held is null)
                    {
                        held = body;
                    }
                    else if (drop)
                    {
                        sender.CountDropped();
                    }
                    else
                    {
                        _ = SendAsync(target, body, delay, twice);
                    }

                    if (held is not null && !ReferenceEquals(held, body))
                    {
                        _ = SendAsync(target, held, delay: false, twice: false);
                        held = null;
                    }
                }

                if (now.Remaining is not { } remaining)
                {
                    break;
                }

                await Task.Delay(WholeMilliseconds(remaining), options.TimeProvider, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the emulator stopped
        }
    }

    /// <summary>
    /// A sleep rounded up to whole milliseconds: timers count whole milliseconds and complete at once under one, so a
    /// step that is not a whole number of them (2.9003333 s) would otherwise leave a remainder that never passes, and
    /// the loop would spin (forever on a virtual clock, which does not move while it spins).
    /// </summary>
    internal static TimeSpan WholeMilliseconds(TimeSpan remaining) => TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds));

    private async Task SendAsync(Uri target, byte[] body, bool delay, bool twice)
    {
        try
        {
            if (delay)
            {
                await Task.Delay(options.PostBackDelay, options.TimeProvider, stopping).ConfigureAwait(false);
            }

            await sender.PostAsync(target, body).ConfigureAwait(false);
            if (twice)
            {
                await sender.PostAsync(target, body).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the emulator stopped during the delay
        }
    }

    /// <summary>Four draws per postback, always in the same order, so a seed gives the same faults.</summary>
    private (bool Drop, bool Delay, bool Twice, bool Hold) Draw()
    {
        EmulatorOptions o = options;
        if (!o.PostBackFaults)
        {
            return default;
        }

        lock (_gate)
        {
            return (_random.NextDouble() < o.PostBackDropRate, _random.NextDouble() < o.PostBackDelayRate,
                _random.NextDouble() < o.PostBackDuplicateRate, _random.NextDouble() < o.PostBackReorderRate);
        }
    }
}
