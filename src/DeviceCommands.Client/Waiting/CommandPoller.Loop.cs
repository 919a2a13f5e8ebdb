using System.Diagnostics;
using System.Runtime.CompilerServices;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client;

/// <summary>
/// A wait's one loop (<see cref="LoopAsync"/>) and its two drivers: <see cref="WaitAsync"/> runs it to its end, and
/// <see cref="WatchAsync"/> up to each status change. A sleeping <see cref="WaitAsync"/> is one suspended method.
/// </summary>
internal sealed partial class CommandPoller
{
    /// <summary>Runs the wait to its end: the terminal command's result, or a timeout.</summary>
    /// <remarks>The loop itself, run to its end: a sleeping wait is this one suspended method, no iterator under it.</remarks>
    public Task<CommandWaitResult> WaitAsync(CancellationToken cancellationToken) => LoopAsync(watch: null, cancellationToken)!;

    /// <summary>
    /// The wait as a stream of its status changes: runs <see cref="LoopAsync"/> up to each change, yields it, and ends
    /// after yielding the command that ends the wait. Throws <see cref="CommandWaitTimeoutException"/> at the deadline.
    /// </summary>
    public async IAsyncEnumerable<Command> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = StartActivity();
        var ended = false;
        var watch = new WatchStep();
        try
        {
            while (true)
            {
                var result = await LoopAsync(watch, cancellationToken).ConfigureAwait(false);
                if (watch.Changed is { } changed)
                {
                    watch.Changed = null;
                    yield return changed;
                }

                if (result is not null)
                {
                    ended = true;
                    yield break;
                }
            }
        }
        finally
        {
            _wake?.Dispose();
            EndActivity(_activity, ended, cancellationToken);
        }
    }

    /// <summary>
    /// The wait's one loop: sleeps until the next poll is due, polls, tells each status change to the observers, and
    /// returns the result once a command ends the wait. Throws <see cref="CommandWaitTimeoutException"/> at the deadline.
    /// With <paramref name="watch"/> (<see cref="WatchAsync"/>'s) it also returns null at each status change, the
    /// command in <see cref="WatchStep.Changed"/>, and plans the next poll when called again (after the change is seen);
    /// without it, it is the whole wait: its span, its end on the metrics and its callback registration's end.
    /// </summary>
    private async Task<CommandWaitResult?> LoopAsync(WatchStep? watch, CancellationToken cancellationToken)
    {
        Activity? activity = null;
        var ended = false;
        try
        {
            // inside the try: a span listener of the caller's that throws still ends the callback registration
            activity = watch is null ? StartActivity() : null;
            if (watch is { Planned: false })
            {
                watch.Planned = true;
                PlanNextPoll(watch.AskedDelay);
                _options.Checkpoint?.Invoke(Checkpoint());
            }

            while (true)
            {
                // inline rather than a method of its own, so a sleeping wait is one suspended method; a callback's
                // poll goes out at once, even past the last scheduled poll time (the loop would otherwise sleep to the
                // deadline, which the callback's flag cuts short again at once: a spin)
                var asked = false;
                for (var wait = TimeToSleep(); wait > TimeSpan.Zero; wait = TimeToSleep())
                {
                    if (_wake is null)
                    {
                        await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                    }
                    else if (await _wake.SleepAsync(wait, cancellationToken).ConfigureAwait(false) && PollNowIfAllowed())
                    {
                        asked = true;
                        break;
                    }
                }

                if (!asked && _nextPollAt is { } due && _plan.NoPollLeftAt(due))
                {
                    throw TimedOut();
                }

                var (command, retryAfter) = await PollAsync(cancellationToken).ConfigureAwait(false);
                if (command is not null)
                {
                    var changed = Observe(command);
                    if (Ends(command))
                    {
                        _last = command;
                        ended = true;
                        watch?.Changed = changed ? command : null;
                        return ResultFor(command);
                    }

                    if (changed && watch is not null)
                    {
                        (watch.Changed, watch.AskedDelay, watch.Planned) = (command, retryAfter, false);
                        return null;
                    }
                }

                PlanNextPoll(retryAfter);
                _options.Checkpoint?.Invoke(Checkpoint());
            }
        }
        catch (OperationCanceledException e) when (CallerCancellation.NeedsCallersToken(e, cancellationToken))
        {
            throw CallerCancellation.AsCallers(e, cancellationToken);
        }
        finally
        {
            if (watch is null)
            {
                _wake?.Dispose();
                EndActivity(_activity, ended, cancellationToken);
            }

            activity?.Dispose();
        }
    }

    /// <summary>What <see cref="WatchAsync"/> carries between two runs of the loop: the change to yield, and the poll left to plan.</summary>
    private sealed class WatchStep
    {
        public Command? Changed { get; set; }

        public TimeSpan? AskedDelay { get; set; }

        public bool Planned { get; set; } = true;
    }
}
