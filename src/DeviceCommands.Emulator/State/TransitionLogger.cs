using Microsoft.Extensions.Logging;
using DeviceCommands.Emulator.Commands;

namespace DeviceCommands.Emulator.State;

/// <summary>
/// Writes one line per command transition to <see cref="EmulatorOptions.TransitionLog"/>, from one timer on the
/// emulator's clock. Whatever the writer throws is caught (a timer thread must never end the process): the first
/// failure is logged once, and the log is written no more.
/// </summary>
internal sealed class TransitionLogger : IAsyncDisposable
{
    private static readonly Action<ILogger, Exception?> LogFailed = LoggerMessage.Define(
        LogLevel.Error, new EventId(2, "TransitionLogFailed"), "The emulator's TransitionLog threw; it writes no more transitions to it.");

    private readonly EmulatorState _state;
    private readonly TextWriter _writer;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _stopped;

    public TransitionLogger(EmulatorState state, TextWriter writer)
    {
        _state = state;
        _writer = writer;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(state.Options.StepDelay.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        _timer = state.Time.CreateTimer(static self => ((TransitionLogger)self!).Tick(), this, period, period);
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        return _timer.DisposeAsync();
    }

    private void Tick()
    {
        // One timer for the whole emulator; the lock keeps overlapping ticks from writing lines out of order.
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            try
            {
                foreach ((StoredCommand command, string? from, StatusAt to) in _state.Store.TakeTransitions(_state.StatusOf))
                {
                    _writer.WriteLine($"cmd {command.Id[..8]}… on {command.DeviceId}: {from ?? "posted"} -> {to.Status}");
                }

                _writer.Flush();
            }
#pragma warning disable CA1031 // a writer's failure of any kind must not reach the timer's thread
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _stopped = true;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                if (_state.Logger is { } logger)
                {
                    try
                    {
                        LogFailed(logger, exception);
                    }
#pragma warning disable CA1031 // nor a logger's
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                }
            }
        }
    }
}
