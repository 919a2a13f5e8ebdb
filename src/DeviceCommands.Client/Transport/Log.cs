using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The client's log messages, under the category <see cref="ClientDiagnostics.Name"/>. A class of their own, so that a
/// process that logs nothing never builds their formats (callers test <see cref="ILogger.IsEnabled"/> first).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} failed after {ElapsedMilliseconds} ms: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, long elapsedMilliseconds, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Retrying HTTP {Method} {Path} (retry {Attempt}) in {DelayMilliseconds} ms because {Reason}")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, long delayMilliseconds, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Not retrying HTTP {Method} {Path}: the service asked to wait {RetryAfterMilliseconds} ms, more than the {MaxMilliseconds} ms allowed")]
    public static partial void RetryAfterTooLong(ILogger logger, string method, string path, long retryAfterMilliseconds, long maxMilliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Command {CommandId} on device {DeviceId} is now {Status} (poll {Polls})")]
    public static partial void CommandStatusChanged(ILogger logger, string commandId, string deviceId, string status, int polls);
}
