using System.Diagnostics;
using DeviceCommands.Client.Diagnostics;

namespace DeviceCommands.TestSupport;

/// <summary>Listens to the package's <see cref="ActivitySource"/> and keeps every span that ends.</summary>
public sealed class SpanCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = [];

    /// <summary>Starts listening.</summary>
    public SpanCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ClientDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (_spans) { _spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans that have ended so far.</summary>
    public List<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();
}
