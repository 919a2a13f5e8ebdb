using System.Diagnostics;

namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// The package's tracing and logging names: an <see cref="ActivitySource"/> named <c>DeviceCommands.Client</c>
/// (a span per request and per wait), and <see cref="Microsoft.Extensions.Logging.ILogger"/> messages under the category <c>DeviceCommands.Client</c>.
/// </summary>
public static class ClientDiagnostics
{
    /// <summary>The name of the activity source and of the log category: <c>DeviceCommands.Client</c>.</summary>
    public const string Name = "DeviceCommands.Client";

    /// <summary>The package's version (e.g. <c>0.3.0-preview.1</c>), as the spans, the meter and the <c>User-Agent</c> carry it.</summary>
    public static string Version => PackageVersion.Value;

    /// <summary>The <c>User-Agent</c> product token: <c>DeviceCommands.Client/{version}</c>.</summary>
    public static string UserAgent { get; } = $"{Name}/{Version}";

    internal static ActivitySource ActivitySource { get; } = new(Name, Version);
}
