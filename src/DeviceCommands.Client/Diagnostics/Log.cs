using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// The client's log messages, under the category <see cref="ClientDiagnostics.Name"/>, with stable event ids (listed
/// in the README): a request that succeeded at Debug, a retry at Information with its reason and delay, a request that
/// failed for good at Warning, a wait's status change at Information. A class of their own, so that a process that logs
/// nothing never builds their formats (callers test <see cref="ILogger.IsEnabled"/> first).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} failed after {ElapsedMilliseconds} ms: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, long elapsedMilliseconds, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Retrying HTTP {Method} {Path} (retry {Attempt}) in {DelayMilliseconds} ms because {Reason}")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, long delayMilliseconds, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Not retrying HTTP {Method} {Path}: the service asked to wait {RetryAfterMilliseconds} ms, more than the {MaxMilliseconds} ms allowed")]
    public static partial void RetryAfterTooLong(ILogger logger, string method, string path, long retryAfterMilliseconds, long maxMilliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Command {CommandId} on device {DeviceId} is now {Status} (poll {Polls})")]
    public static partial void CommandStatusChanged(ILogger logger, string commandId, string deviceId, string status, int polls);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    public static partial void RequestAnsweredWithError(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds);
}
