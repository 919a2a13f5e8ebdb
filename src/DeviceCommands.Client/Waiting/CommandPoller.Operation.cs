using System.Diagnostics;
using DeviceCommands.Client.Diagnostics;

namespace DeviceCommands.Client;

/// <summary>
/// The span of a whole <see cref="CommandWaitExtensions.SendAndWaitAsync"/>: one trace per operation, with the POST
/// and every poll as its children. A wait that runs under such a span uses it as its own instead of starting
/// <c>WaitForCommand</c>, and leaves ending it to the operation.
/// </summary>
internal sealed partial class CommandPoller
{
    /// <summary>The name of the span around a whole send and wait.</summary>
    public const string OperationSpanName = "SendAndWaitForCommand";

    private bool _adopted; // the wait runs under a send and wait's span, in _activity

    /// <summary>
    /// Starts the span of a send and wait (null when nobody listens); it becomes the current span, so the POST's request
    /// span is its child.
    /// </summary>
    public static Activity? StartOperation() =>
        ClientDiagnostics.ActivitySource.StartActivity(OperationSpanName, ActivityKind.Internal);

    /// <summary>Makes <paramref name="operation"/> this wait's span: its status changes, polls and end are told to it.</summary>
    public void Adopt(Activity? operation)
    {
        (_adopted, _activity) = (operation is not null, operation);
        operation?.SetTag("devicecommands.device.id", _deviceId);
        operation?.SetTag("devicecommands.command.id", _commandId);
    }

    /// <summary>Marks the operation's span as failed by <paramref name="error"/> (a POST or poll that threw, a timeout, a cancellation).</summary>
    public static void Fail(Activity? operation, Exception error) =>
        operation?.SetStatus(ActivityStatusCode.Error, error is OperationCanceledException ? "cancelled" : error.GetType().Name);
}
