namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// What a wait keeps in grain storage (one Redis hash per wait, the state as JSON beside an ETag). Written with the
/// ETag checked, so of two activations of one wait only one can write. It holds no token and no credential.
/// </summary>
/// <remarks>
/// When it is written: the request together with the first intent (before the POST); the command's id and first
/// checkpoint (after the POST); the new checkpoint after every poll; the outcome. A POST refused with 429 clears the
/// intent, so a new one (with a new <c>client-request-id</c>) is written before the POST is sent again.
/// </remarks>
public sealed class WaitState
{
    /// <summary>The device the command is for; null until the wait is accepted.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The command: the URI of its <c>LaunchUri</c>.</summary>
    public string? Uri { get; set; }

    /// <summary>When the wait was accepted; its deadline counts from here.</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>
    /// The intent to send: the <c>client-request-id</c> of a POST about to be sent, or sent and not yet answered. Set and
    /// stored before the POST; an activation that finds it without <see cref="CommandId"/> ends the wait
    /// <see cref="WaitOutcomeKind.Unknown"/> and does not send again.
    /// </summary>
    public string? ClientRequestId { get; set; }

    /// <summary>
    /// The key in the command's postBackUri (22 random URL-safe characters, made with the intent); null when the fleet
    /// runs without callbacks. A postback with another key is ignored.
    /// </summary>
    public string? CallbackKey { get; set; }

    /// <summary>When the intent was stored.</summary>
    public DateTimeOffset? IntentAt { get; set; }

    /// <summary>The silo that stored the intent.</summary>
    public string? IntentSilo { get; set; }

    /// <summary>When to send again after a 429; null for at once.</summary>
    public DateTimeOffset? NextSendAt { get; set; }

    /// <summary>The command's id, once the service answered the POST.</summary>
    public string? CommandId { get; set; }

    /// <summary>The wait's position (<see cref="DeviceCommands.Client.CommandWaitCheckpoint"/> as text) after its last poll.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>The POSTs sent.</summary>
    public int Posts { get; set; }

    /// <summary>The writes of this state, this one included.</summary>
    public int Writes { get; set; }

    /// <summary>How the wait ended; null while it runs.</summary>
    public WaitOutcome? Outcome { get; set; }
}
