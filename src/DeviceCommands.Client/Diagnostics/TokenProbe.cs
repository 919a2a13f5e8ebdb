namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// Whether the requests of one call (and the calls it makes, through the async flow) asked the client's credential for
/// a token and got one. <c>SendAndWaitAsync</c> uses it to tell a POST that never left, because the credential had not
/// given a token by the deadline, from one that may have reached the service. A client whose adapter does not use the
/// client's own token provider never asks, so the probe then claims nothing.
/// </summary>
internal sealed class TokenProbe
{
    private static readonly AsyncLocal<TokenProbe?> Current = new();

    private int _asked;
    private int _given;

    /// <summary>True when the credential was asked and has not yet given a token: no request of the call has been sent.</summary>
    public bool Waiting => Volatile.Read(ref _asked) != 0 && Volatile.Read(ref _given) == 0;

    /// <summary>A probe for the rest of the calling async method (its value is restored when that method returns).</summary>
    public static TokenProbe Start() => Current.Value = new TokenProbe();

    /// <summary>Notes that the credential is being asked for the current call's request.</summary>
    public static void Asking()
    {
        if (Current.Value is { } probe)
        {
            Volatile.Write(ref probe._asked, 1);
        }
    }

    /// <summary>Notes that the credential gave the current call's request a token.</summary>
    public static void Given()
    {
        if (Current.Value is { } probe)
        {
            Volatile.Write(ref probe._given, 1);
        }
    }
}
