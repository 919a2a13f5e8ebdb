namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// How the attempts of one call's request went (through the async flow, as <see cref="TokenProbe"/>): how many the
/// client's retry layer sent, and how many of them the service answered <c>429</c>. <c>SendAndWaitAsync</c> uses it to
/// tell a POST the service never took (every attempt refused, none in flight at the deadline) from one it may have
/// taken. A client whose adapter has no retry layer of the client's own sends no attempt through it, so the probe then
/// claims nothing.
/// </summary>
internal sealed class AttemptProbe
{
    private static readonly AsyncLocal<AttemptProbe?> Current = new();

    private int _sent;
    private int _refused;

    /// <summary>True when attempts were sent and the service answered each with 429: it took none of them, and none is in flight.</summary>
    public bool AllRefused => Volatile.Read(ref _sent) is > 0 and var sent && Volatile.Read(ref _refused) == sent;

    /// <summary>A probe for the rest of the calling async method (its value is restored when that method returns).</summary>
    public static AttemptProbe Start() => Current.Value = new AttemptProbe();

    /// <summary>Notes that an attempt of the current call's request is being sent.</summary>
    public static void Sending()
    {
        if (Current.Value is { } probe)
        {
            Interlocked.Increment(ref probe._sent);
        }
    }

    /// <summary>Notes that the service answered an attempt of the current call's request with 429: it did not take it.</summary>
    public static void Refused()
    {
        if (Current.Value is { } probe)
        {
            Interlocked.Increment(ref probe._refused);
        }
    }
}
