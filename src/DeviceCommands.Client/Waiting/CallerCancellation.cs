namespace DeviceCommands.Client;

/// <summary>
/// A wait ended by its caller's token throws an <see cref="OperationCanceledException"/> that carries that token, so
/// <c>catch (OperationCanceledException e) when (e.CancellationToken == ct)</c> works: one cut short inside the wait
/// (a linked deadline token, a request's own) is thrown again as the caller's, the original inside.
/// </summary>
internal static class CallerCancellation
{
    /// <summary>Whether <paramref name="error"/> ends a wait the caller cancelled, but carries another token.</summary>
    public static bool NeedsCallersToken(OperationCanceledException error, CancellationToken caller) =>
        caller.IsCancellationRequested && error.CancellationToken != caller;

    /// <summary>The caller's cancellation: <paramref name="error"/>'s message, <paramref name="caller"/>'s token, <paramref name="error"/> inside.</summary>
    public static OperationCanceledException AsCallers(OperationCanceledException error, CancellationToken caller) =>
        new(error.Message, error, caller);
}
