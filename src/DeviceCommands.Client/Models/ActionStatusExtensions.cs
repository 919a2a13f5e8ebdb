using System.Diagnostics.CodeAnalysis;

namespace DeviceCommands.Client.Models;

/// <summary>Classification and wire spelling of <see cref="ActionStatus"/> values.</summary>
public static class ActionStatusExtensions
{
    /// <summary>
    /// Whether the command has reached the end of its life: <see cref="ActionStatus.Completed"/>,
    /// <see cref="ActionStatus.FailedToSend"/>, <see cref="ActionStatus.ExecutionFailed"/>,
    /// <see cref="ActionStatus.CommandDropped"/>, <see cref="ActionStatus.Canceled"/>,
    /// <see cref="ActionStatus.Expired"/> or <see cref="ActionStatus.Error"/>.
    /// </summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for a terminal status.</returns>
    public static bool IsTerminal(this ActionStatus status) => status switch
    {
        ActionStatus.Completed or ActionStatus.FailedToSend or ActionStatus.ExecutionFailed or
        ActionStatus.CommandDropped or ActionStatus.Canceled or ActionStatus.Expired or ActionStatus.Error => true,
        _ => false,
    };

    /// <summary>Whether the command succeeded: <see cref="ActionStatus.Completed"/> only.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for <see cref="ActionStatus.Completed"/>.</returns>
    public static bool IsSuccess(this ActionStatus status) => status == ActionStatus.Completed;

    /// <summary>The 14 wire spellings, for a reader to return one of these strings rather than a copy of the text.</summary>
    internal static readonly string[] WireValues =
    [
        "requesting", "sentToTarget", "executing", "completed", "failedToSend", "executionFailed", "commandDropped",
        "cancel", "cancelling", "canceled", "retry", "expired", "error", "custom",
    ];

    /// <summary>The status as the service spells it on the wire, for example <c>sentToTarget</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The wire spelling.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the 14 defined statuses.</exception>
    public static string ToWireValue(this ActionStatus status) => status switch
    {
        ActionStatus.Requesting => "requesting",
        ActionStatus.SentToTarget => "sentToTarget",
        ActionStatus.Executing => "executing",
        ActionStatus.Completed => "completed",
        ActionStatus.FailedToSend => "failedToSend",
        ActionStatus.ExecutionFailed => "executionFailed",
        ActionStatus.CommandDropped => "commandDropped",
        ActionStatus.Cancel => "cancel",
        ActionStatus.Cancelling => "cancelling",
        ActionStatus.Canceled => "canceled",
        ActionStatus.Retry => "retry",
        ActionStatus.Expired => "expired",
        ActionStatus.Error => "error",
        ActionStatus.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a defined ActionStatus value."),
    };

    /// <summary>
    /// Reads a wire status, ignoring case (<c>SentToTarget</c>, <c>sentToTarget</c> and <c>SENTTOTARGET</c> all match).
    /// Never throws: an unknown or empty text gives <see langword="false"/>.
    /// </summary>
    /// <param name="value">The text the service sent.</param>
    /// <param name="status">The status when the text is known.</param>
    /// <returns><see langword="true"/> when the text names one of the 14 statuses.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out ActionStatus status)
    {
        ReadOnlySpan<char> s = value.AsSpan().Trim();
        // A switch on length first keeps this allocation-free and cheap on the hot path of every poll.
        ActionStatus? found = s.Length switch
        {
            5 when Is(s, "retry") => ActionStatus.Retry,
            5 when Is(s, "error") => ActionStatus.Error,
            6 when Is(s, "cancel") => ActionStatus.Cancel,
            6 when Is(s, "custom") => ActionStatus.Custom,
            7 when Is(s, "expired") => ActionStatus.Expired,
            8 when Is(s, "canceled") => ActionStatus.Canceled,
            9 when Is(s, "executing") => ActionStatus.Executing,
            9 when Is(s, "completed") => ActionStatus.Completed,
            10 when Is(s, "requesting") => ActionStatus.Requesting,
            10 when Is(s, "cancelling") => ActionStatus.Cancelling,
            12 when Is(s, "sentToTarget") => ActionStatus.SentToTarget,
            12 when Is(s, "failedToSend") => ActionStatus.FailedToSend,
            14 when Is(s, "commandDropped") => ActionStatus.CommandDropped,
            15 when Is(s, "executionFailed") => ActionStatus.ExecutionFailed,
            _ => null,
        };
        status = found.GetValueOrDefault();
        return found.HasValue;

        static bool Is(ReadOnlySpan<char> text, string candidate) => text.Equals(candidate, StringComparison.OrdinalIgnoreCase);
    }
}
