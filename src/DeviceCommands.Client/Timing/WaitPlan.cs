namespace DeviceCommands.Client.Timing;

/// <summary>
/// A wait's deadline maths, as pure functions of its start, deadline and schedule and of the time it is asked at: when
/// to poll next after an observation (the schedule, or the service's <c>Retry-After</c>, never past the last poll
/// time), whether a poll is left at all, and how long to sleep. docs/waiting.md ("Schedule") is its specification.
/// </summary>
/// <param name="StartedAt">When the wait started.</param>
/// <param name="Deadline">When it times out; null for never.</param>
/// <param name="InitialDelay">The delay before the second poll, before jitter.</param>
/// <param name="MaxDelay">The cap of the growing delay.</param>
/// <param name="JitterSeed">The seed of the jitter; null for a random one.</param>
internal readonly record struct WaitPlan(DateTimeOffset StartedAt, DateTimeOffset? Deadline, TimeSpan InitialDelay, TimeSpan MaxDelay, int? JitterSeed)
{
    /// <summary>The time kept for the last poll before the deadline: a tenth of the timeout, between 1 ms and 1 s; zero without a deadline.</summary>
    public TimeSpan FinalPollMargin => Deadline is { } deadline
        ? TimeSpan.FromTicks(Math.Clamp((deadline - StartedAt).Ticks / TimingDefaults.FinalPollShare, TimingDefaults.MinFinalPollMargin.Ticks, TimingDefaults.MaxFinalPollMargin.Ticks))
        : TimeSpan.Zero;

    /// <summary>The latest time a poll is sent: <see cref="FinalPollMargin"/> before the deadline; null without one.</summary>
    public DateTimeOffset? LastPollAt => Deadline - FinalPollMargin;

    /// <summary>Whether a poll due at <paramref name="at"/> is one too many: it is past <see cref="LastPollAt"/>.</summary>
    public bool NoPollLeftAt(DateTimeOffset at) => LastPollAt is { } last && at > last;

    /// <summary>Whether the deadline has come at <paramref name="now"/>.</summary>
    public bool IsOver(DateTimeOffset now) => Deadline is { } deadline && now >= deadline;

    /// <summary>The scheduled delay after poll <paramref name="polls"/>: the backoff, <see cref="TimingDefaults.CallbackFallbackFactor"/> times slower with callbacks on.</summary>
    public TimeSpan ScheduledDelay(int polls, bool callbacks) =>
        Backoff.Wait(polls, Slowed(InitialDelay, callbacks), Slowed(MaxDelay, callbacks), JitterSeed);

    /// <summary>
    /// When to poll after poll <paramref name="polls"/>, observed at <paramref name="now"/>: the scheduled delay, or exactly
    /// what a <c>Retry-After</c> asked (never sooner than <see cref="TimingDefaults.MinHintedDelay"/>). A scheduled poll past
    /// <see cref="LastPollAt"/> is moved to it; a hinted one past it (or any once it has passed) leaves no poll, and the
    /// answer is then the deadline itself.
    /// </summary>
    public DateTimeOffset NextPollAt(int polls, DateTimeOffset now, TimeSpan? retryAfter, bool callbacks)
    {
        var delay = retryAfter is { } hint
            ? hint < TimingDefaults.MinHintedDelay ? TimingDefaults.MinHintedDelay : hint
            : ScheduledDelay(polls, callbacks);
        var next = delay > DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + delay;
        return LastPollAt is { } last && next > last
            ? retryAfter is null && last > now ? last : Deadline!.Value
            : next;
    }

    /// <summary>
    /// The poll time a callback asks for at <paramref name="now"/>: now, until the deadline has come (null then). Past
    /// <see cref="LastPollAt"/> too, and while a <c>Retry-After</c> points past the deadline: the callback is news that
    /// neither the schedule nor the hint knew of, and its GET runs under the time left.
    /// </summary>
    public DateTimeOffset? PollOnCallbackAt(DateTimeOffset now) => IsOver(now) ? null : now;

    /// <summary>
    /// The next sleep at <paramref name="now"/> towards the next poll (or, when none is left, the deadline), as one timer
    /// (<see cref="LongTimer.Piece"/>); zero when it is due or none is planned (the first poll is at once).
    /// </summary>
    public TimeSpan SleepBefore(DateTimeOffset? nextPollAt, DateTimeOffset now) =>
        nextPollAt is not { } next ? TimeSpan.Zero : LongTimer.Piece((NoPollLeftAt(next) ? Deadline!.Value : next) - now);

    /// <summary>A delay of the schedule, <see cref="TimingDefaults.CallbackFallbackFactor"/> times longer with callbacks on (capped at <see cref="TimeSpan.MaxValue"/>).</summary>
    public static TimeSpan Slowed(TimeSpan delay, bool callbacks) =>
        !callbacks ? delay
        : delay > TimeSpan.MaxValue / TimingDefaults.CallbackFallbackFactor ? TimeSpan.MaxValue
        : delay * TimingDefaults.CallbackFallbackFactor;
}
