using System.Diagnostics;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Models;

namespace DeviceCommands.Client;

/// <summary>A wait's telemetry: its span (<c>WaitForCommand</c>, or the send and wait's own) and the metrics of how it ended.</summary>
internal sealed partial class CommandPoller
{
    /// <summary>The tag that carries a command's status on spans: <c>devicecommands.command.status</c>.</summary>
    public const string StatusTag = "devicecommands.command.status";

    // a field, not Activity.Current: an async iterator does not keep ambient state from one MoveNextAsync to the next
    // returns the span this loop owns: none when it runs under a send and wait's span (Adopt), which ends that itself
    private Activity? StartActivity()
    {
        if (_adopted)
        {
            return null;
        }

        var activity = _activity = ClientDiagnostics.ActivitySource.StartActivity("WaitForCommand", ActivityKind.Internal);
        activity?.SetTag("devicecommands.device.id", _deviceId);
        activity?.SetTag("devicecommands.command.id", _commandId);
        if (_observed)
        {
            activity?.SetTag(StatusTag, _lastStatus ?? "(none)");
        }

        return activity;
    }

    private void EndActivity(Activity? activity, bool ended, CancellationToken cancellationToken)
    {
        RecordEnd(ended, cancellationToken);
        activity?.SetTag("devicecommands.polls", _polls);
        if (!ended)
        {
            activity?.SetStatus(ActivityStatusCode.Error, cancellationToken.IsCancellationRequested ? "cancelled" : "did not end");
        }

        _activity = null;
    }

    /// <summary>Records the wait's end on the client's metrics: how it ended, how long it took, how many polls.</summary>
    public void RecordEnd(bool ended, CancellationToken cancellationToken)
    {
        if (!ClientMetrics.WaitDuration.Enabled && !ClientMetrics.WaitPolls.Enabled)
        {
            return;
        }

        var outcome = ended ? (_last?.Status is { } status && status.IsSuccess() ? "completed" : "failed")
            : _timedOut ? "timed_out"
            : cancellationToken.IsCancellationRequested ? "cancelled"
            : "error";
        var elapsed = _clock.GetUtcNow() - _plan.StartedAt;
        ClientMetrics.RecordWait(outcome, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, _polls);
    }
}
