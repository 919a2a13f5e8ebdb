namespace DeviceCommands.Client.Callbacks;

/// <summary>What <see cref="CommandCallbackReceiver.Receive"/> made of a callback; an endpoint answers 202, 404 or 400.</summary>
public enum CallbackReceipt
{
    /// <summary>A wait of this process holds the key: it was told (202 Accepted). Accepted is no outcome: only the wait's GET decides.</summary>
    Accepted,

    /// <summary>The key is well formed but no wait of this process holds it (404): nothing is sent for it.</summary>
    UnknownKey,

    /// <summary>The key is malformed or the body is over 64 KiB (400, or 413 for the size): nothing is read further.</summary>
    Refused,
}
