namespace DeviceCommands.Emulator;

/// <summary>The emulator's postbacks (see <see cref="PostBackHandler"/>) and their faults.</summary>
public sealed partial class EmulatorOptions
{
    /// <summary>
    /// Where postbacks go: on every status change of a command that carries a <c>postBackUri</c>, the emulator POSTs the
    /// command's status resource (the JSON its GET answers, in the same quirky or clean shape) there. Through this
    /// handler when set (any host; a receiver's <c>CreateHandler()</c> in tests); otherwise over a socket, and only to
    /// loopback hosts. Each post has 2 s on the emulator's clock, is never retried, and never holds up the command.
    /// Default <see langword="null"/>: over a socket. The handler is not disposed with the emulator.
    /// </summary>
    public HttpMessageHandler? PostBackHandler { get; set; }

    /// <summary>The share of postbacks never sent, 0 to 1; default 0. Drawn from <see cref="Seed"/>'s sequence, as the other postback faults are.</summary>
    public double PostBackDropRate { get; set; }

    /// <summary>The share of postbacks sent <see cref="PostBackDelay"/> late, 0 to 1; default 0.</summary>
    public double PostBackDelayRate { get; set; }

    /// <summary>How late a delayed postback is sent, on the emulator's clock; default 2 s, at most a day.</summary>
    public TimeSpan PostBackDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The share of postbacks sent twice, 0 to 1; default 0.</summary>
    public double PostBackDuplicateRate { get; set; }

    /// <summary>
    /// The share of postbacks of a non-terminal status held back and sent just after the next one of the same command
    /// (so a wait may hear <c>executing</c> after <c>completed</c>), 0 to 1; default 0.
    /// </summary>
    public double PostBackReorderRate { get; set; }

    internal bool PostBackFaults => PostBackDropRate > 0 || PostBackDelayRate > 0 || PostBackDuplicateRate > 0 || PostBackReorderRate > 0;

    private void ValidatePostBacks()
    {
        RequireRate(PostBackDropRate, nameof(PostBackDropRate));
        RequireRate(PostBackDelayRate, nameof(PostBackDelayRate));
        RequireRate(PostBackDuplicateRate, nameof(PostBackDuplicateRate));
        RequireRate(PostBackReorderRate, nameof(PostBackReorderRate));
        RequireInRange(PostBackDelay, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(PostBackDelay));
    }
}
