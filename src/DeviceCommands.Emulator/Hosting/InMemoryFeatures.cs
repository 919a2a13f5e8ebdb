using Microsoft.AspNetCore.Http.Features;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>The response as the pipeline writes it; it has started once a byte of its body is written.</summary>
internal sealed class InMemoryResponseFeature(MemoryStream body) : HttpResponseFeature
{
    public override bool HasStarted => body.Length > 0;
}

/// <summary>Whether the in-memory request can have a body: it has a content.</summary>
internal sealed class InMemoryBodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody { get; } = canHaveBody;
}

/// <summary><see cref="IHttpRequestLifetimeFeature.Abort"/> cancels the request, like a connection reset.</summary>
internal sealed class InMemoryLifetime(CancellationTokenSource aborted) : IHttpRequestLifetimeFeature
{
    private int _aborted;

    public bool Aborted => Volatile.Read(ref _aborted) != 0 || aborted.IsCancellationRequested;

    public CancellationToken RequestAborted { get; set; } = aborted.Token;

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            try
            {
                aborted.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the request is over
            }
        }
    }
}
