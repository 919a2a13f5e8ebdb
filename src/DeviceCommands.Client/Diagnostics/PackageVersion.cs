using System.Reflection;

namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// The package's one version string, as the meter, the spans and the <c>User-Agent</c> all carry it: the assembly's
/// informational version (<c>0.3.0-preview.1</c>) without the <c>+commit</c> suffix SourceLink adds.
/// </summary>
internal static class PackageVersion
{
    /// <summary>The version, e.g. <c>0.3.0-preview.1</c>; the assembly version (three parts) when there is no informational one.</summary>
    public static string Value { get; } = Of(typeof(PackageVersion).Assembly);

    /// <summary>The informational version of <paramref name="assembly"/> without its <c>+</c> suffix.</summary>
    public static string Of(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
