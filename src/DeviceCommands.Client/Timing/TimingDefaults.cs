namespace DeviceCommands.Client.Timing;

/// <summary>
/// Every number of the client's timing, named once: the retries' and the waits' backoff, the jitter both draw, the
/// hints' bounds and the waits' deadline margins. docs/waiting.md ("Schedule") says why each is what it is.
/// </summary>
internal static class TimingDefaults
{
    /// <summary>How many times the retry layer sends a failed request again: 3.</summary>
    public const int MaxRetries = 3;

    /// <summary>The growth of the spacing between the GETs that callbacks ask for: doubling.</summary>
    public const double CallbackSpacingGrowth = 2.0;

    /// <summary>The smallest jitter factor a delay is multiplied by.</summary>
    public const double JitterLow = 0.8;

    /// <summary>The largest jitter factor a delay is multiplied by.</summary>
    public const double JitterHigh = 1.2;

    /// <summary>The growth of a wait's delay from one poll to the next.</summary>
    public const double WaitGrowth = 1.2;

    /// <summary>The growth of the retry layer's delay from one retry to the next.</summary>
    public const double RetryGrowth = 2.0;

    /// <summary>How much slower the fallback polls of a wait with callbacks are.</summary>
    public const int CallbackFallbackFactor = 10;

    /// <summary>The default delay before a wait's second poll: 1 second.</summary>
    public static readonly TimeSpan WaitInitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default cap of a wait's delay: 30 seconds.</summary>
    public static readonly TimeSpan WaitMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The default time a wait may last: 10 minutes.</summary>
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The base of the retry layer's backoff: 1 second.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The time one attempt of a request may take: 30 seconds.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> the retry layer waits for; a longer one ends the retries: 60 seconds.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>The longest delay between two attempts of the retry layer: 1 minute.</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromMinutes(1);

    /// <summary>The shortest delay a wait's <c>Retry-After</c> can ask for (100 ms), so a hint of zero cannot make it spin.</summary>
    public static readonly TimeSpan MinHintedDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The most time kept for a wait's last poll before its deadline: 1 second.</summary>
    public static readonly TimeSpan MaxFinalPollMargin = TimeSpan.FromSeconds(1);

    /// <summary>The spacing after the first GET a callback asks for (100 ms), growing with each further one.</summary>
    public static readonly TimeSpan CallbackFirstSpacing = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest spacing between two GETs callbacks ask for: 10 seconds.</summary>
    public static readonly TimeSpan CallbackMaxSpacing = TimeSpan.FromSeconds(10);

    /// <summary>The least time kept for a wait's last poll before its deadline: 1 millisecond.</summary>
    public static readonly TimeSpan MinFinalPollMargin = TimeSpan.FromMilliseconds(1);

    /// <summary>The share of a wait's timeout kept for its last poll: a tenth (between the two margins above).</summary>
    public const int FinalPollShare = 10;

    /// <summary>The longest <c>Retry-After</c> read (365 days): a larger value, or a date far ahead, is capped.</summary>
    public static readonly TimeSpan LongestHint = TimeSpan.FromDays(365);

    /// <summary>The longest single timer the client sets: 30 days, well inside the timers' limit of about 49.7 days.</summary>
    public static readonly TimeSpan MaxTimerPiece = TimeSpan.FromDays(30);
}
