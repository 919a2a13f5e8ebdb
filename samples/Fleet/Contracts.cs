namespace DeviceCommands.Samples.Fleet;

/// <summary>
/// One command's wait, as a grain. Its key is <c>{userId}/{waitId}</c>: the user whose credential sends the command,
/// and an id the application chose, so that asking twice for the same wait reaches the same grain.
/// </summary>
public interface IWaitGrain : IGrainWithStringKey
{
    /// <summary>
    /// Accepts the wait and sends its command once. Safe to call again with the same request (after a timeout, or when
    /// the silo that had it died): a wait already accepted only makes sure it is running, and never sends again.
    /// </summary>
    /// <param name="request">What to send, and to which device.</param>
    /// <returns>A task that completes once the wait is accepted (its command sent, refused or in doubt).</returns>
    Task StartAsync(WaitRequest request);

    /// <summary>
    /// A postback of the wait's command, routed here by whichever silo received it: a hint, never the outcome. When
    /// <paramref name="callbackKey"/> is the wait's own and the body calls for it (a terminal status, or one that cannot
    /// be read), the wait polls at once; a wait activated by the callback (its silo died) looks at once in any case.
    /// </summary>
    /// <param name="callbackKey">The key from the postBackUri; a wrong one is ignored.</param>
    /// <param name="body">The postback's body (at most 64 KiB).</param>
    /// <returns>A task that completes once the wait has taken the hint in (not once it has polled).</returns>
    Task CallbackAsync(string callbackKey, byte[] body);
}

/// <summary>What a wait sends: a <c>LaunchUri</c> command to a device.</summary>
/// <param name="DeviceId">The device's id.</param>
/// <param name="Uri">The URI the device opens.</param>
[GenerateSerializer]
[Immutable]
public sealed record WaitRequest([property: Id(0)] string DeviceId, [property: Id(1)] string Uri);

/// <summary>How a wait ended.</summary>
public enum WaitOutcomeKind
{
    /// <summary>The command completed.</summary>
    Completed,

    /// <summary>The command ended with a failure status (<c>failedToSend</c>, <c>executionFailed</c>, ...).</summary>
    Failed,

    /// <summary>
    /// A POST may have reached the service, but its answer was lost (the silo died, or the connection did); the service has
    /// no idempotency key to ask whether the command exists, so it was not sent again.
    /// </summary>
    Unknown,

    /// <summary>The service refused the command (a 4xx other than 429): it was not created.</summary>
    Rejected,

    /// <summary>The wait's deadline passed before the command ended.</summary>
    TimedOut,

    /// <summary>A poll failed with a permanent error (404, 401, ...).</summary>
    Error,
}

/// <summary>A wait's end, as the wait records it on the <see cref="OutcomeBoard"/> (and keeps in its own state).</summary>
public sealed class WaitOutcome
{
    /// <summary>The text of <see cref="WaitOutcomeKind.Unknown"/>.</summary>
    public const string UnknownText = "unknown: not sent again";

    /// <summary>The wait's grain key, <c>{userId}/{waitId}</c>.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>How it ended.</summary>
    public WaitOutcomeKind Kind { get; set; }

    /// <summary>The command's last status as the service sent it, or a short reason (<see cref="UnknownText"/>, <c>rejected: 400</c>).</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The command's id; null when none is known.</summary>
    public string? CommandId { get; set; }

    /// <summary>The <c>client-request-id</c> of the last POST; null when none was sent.</summary>
    public string? ClientRequestId { get; set; }

    /// <summary>The POSTs sent (a POST refused with 429 is followed by a new one with a new <c>client-request-id</c>).</summary>
    public int Posts { get; set; }

    /// <summary>The polls (GETs) made.</summary>
    public int Polls { get; set; }

    /// <summary>The writes of the wait's state to grain storage.</summary>
    public int Writes { get; set; }

    /// <summary>The silo that wrote the last intent to send.</summary>
    public string? IntentSilo { get; set; }

    /// <summary>The silo that recorded the outcome.</summary>
    public string Silo { get; set; } = string.Empty;

    /// <summary>Whether the activation that ended the wait was started by the watchdog reminder (a resumed wait).</summary>
    public bool ResumedByReminder { get; set; }

    /// <summary>Whether the activation that ended the wait was started by a postback routed to it (a resumed wait).</summary>
    public bool ResumedByCallback { get; set; }

    /// <summary>The polls that a postback asked for (each one a GET at once).</summary>
    public int CallbackPolls { get; set; }

    /// <summary>When the wait was accepted, in Unix milliseconds.</summary>
    public long AcceptedAtMs { get; set; }

    /// <summary>When the outcome was recorded, in Unix milliseconds.</summary>
    public long EndedAtMs { get; set; }
}
