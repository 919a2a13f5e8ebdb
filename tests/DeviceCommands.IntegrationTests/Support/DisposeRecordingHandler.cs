namespace DeviceCommands.IntegrationTests;

/// <summary>A transport that records whether it was disposed.</summary>
internal sealed class DisposeRecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
{
    private int _disposed;

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Interlocked.Increment(ref _sent);
        return base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        base.Dispose(disposing);
    }
}
