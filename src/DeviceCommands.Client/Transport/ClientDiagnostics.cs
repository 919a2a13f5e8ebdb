using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The package's tracing and logging names: an <see cref="ActivitySource"/> named <c>DeviceCommands.Client</c>
/// (a span per request and per wait), and <see cref="ILogger"/> messages under the category <c>DeviceCommands.Client</c>.
/// </summary>
public static partial class ClientDiagnostics
{
    /// <summary>The name of the activity source and of the log category: <c>DeviceCommands.Client</c>.</summary>
    public const string Name = "DeviceCommands.Client";

    /// <summary>The package's version, as put in spans and in the <c>User-Agent</c>.</summary>
    public static string Version { get; } =
        typeof(ClientDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ClientDiagnostics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The <c>User-Agent</c> product token: <c>DeviceCommands.Client/{version}</c>.</summary>
    public static string UserAgent { get; } = $"{Name}/{Version}";

    internal static ActivitySource ActivitySource { get; } = new(Name, Version);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    internal static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} failed after {ElapsedMilliseconds} ms: {Reason}")]
    internal static partial void RequestFailed(ILogger logger, string method, string path, long elapsedMilliseconds, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Retrying HTTP {Method} {Path} (retry {Attempt}) in {DelayMilliseconds} ms because {Reason}")]
    internal static partial void Retrying(ILogger logger, string method, string path, int attempt, long delayMilliseconds, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Not retrying HTTP {Method} {Path}: the service asked to wait {RetryAfterMilliseconds} ms, more than the {MaxMilliseconds} ms allowed")]
    internal static partial void RetryAfterTooLong(ILogger logger, string method, string path, long retryAfterMilliseconds, long maxMilliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Command {CommandId} on device {DeviceId} is now {Status} (poll {Polls})")]
    internal static partial void CommandStatusChanged(ILogger logger, string commandId, string deviceId, string status, int polls);
}
