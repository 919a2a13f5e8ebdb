using System.Diagnostics;

namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// Whether anyone listens to Kiota's own tracing (the activity source its adapter and middleware use): only then does a
/// request's message carry Kiota's <c>ObservabilityOptions</c>, which nothing else reads.
/// </summary>
internal static class KiotaTracing
{
    /// <summary>Kiota's activity source name (<c>ObservabilityOptions.TracerInstrumentationName</c>).</summary>
    public const string Name = "Microsoft.Kiota.Http.HttpClientLibrary";

    // a source of the same name is offered to the same listeners as Kiota's own
    private static readonly ActivitySource Source = new(Name);

    /// <summary>Whether an <see cref="ActivityListener"/> listens to a source of Kiota's name.</summary>
    public static bool HasListeners() => Source.HasListeners();
}
