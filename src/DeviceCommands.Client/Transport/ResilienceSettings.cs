namespace DeviceCommands.Client.Transport;

/// <summary>The settings of <see cref="ResilienceHandler"/>, from the client's options.</summary>
/// <remarks>
/// Plain read-only fields rather than a record's properties: a first request reads each of them, and each property
/// would be one more method for the runtime to compile before it.
/// </remarks>
internal sealed class ResilienceSettings(
    int maxRetries,
    TimeSpan retryDelay,
    TimeSpan maxRetryAfter,
    TimeSpan attemptTimeout,
    int? jitterSeed,
    long maxResponseBytes,
    TimeProvider clock,
    Delegate? configure)
{
    /// <summary>How many times a failed request is sent again.</summary>
    public readonly int MaxRetries = maxRetries;

    /// <summary>The base of the backoff between retries.</summary>
    public readonly TimeSpan RetryDelay = retryDelay;

    /// <summary>The longest <c>Retry-After</c> slept through.</summary>
    public readonly TimeSpan MaxRetryAfter = maxRetryAfter;

    /// <summary>The time one attempt may take.</summary>
    public readonly TimeSpan AttemptTimeout = attemptTimeout;

    /// <summary>The seed of the backoff's jitter; null for a random draw.</summary>
    public readonly int? JitterSeed = jitterSeed;

    /// <summary>The largest response body read, in bytes.</summary>
    public readonly long MaxResponseBytes = maxResponseBytes;

    /// <summary>The clock of delays and timeouts.</summary>
    public readonly TimeProvider Clock = clock;

    /// <summary>
    /// The user's Polly strategies (<see cref="DeviceCommandsClientOptions.ConfigureResilience"/>); null for none. A plain
    /// <see cref="Delegate"/>, so that nothing but <see cref="UserStrategies"/> names a Polly type.
    /// </summary>
    public readonly Delegate? Configure = configure;
}
