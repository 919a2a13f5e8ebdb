using System.Diagnostics;
using System.Reflection;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The package's tracing and logging names: an <see cref="ActivitySource"/> named <c>DeviceCommands.Client</c>
/// (a span per request and per wait), and <see cref="Microsoft.Extensions.Logging.ILogger"/> messages under the category <c>DeviceCommands.Client</c>.
/// </summary>
public static class ClientDiagnostics
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
}
