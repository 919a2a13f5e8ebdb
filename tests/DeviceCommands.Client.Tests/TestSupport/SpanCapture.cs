using System.Diagnostics;
using DeviceCommands.Client.Transport;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>Listens to the package's <see cref="ActivitySource"/> and keeps every span that ends.</summary>
internal sealed class SpanCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = [];

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

    public void Dispose() => _listener.Dispose();
}
