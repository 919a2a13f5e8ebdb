namespace DeviceCommands.Client.Transport;

/// <summary>
/// The process-wide transport of every client made by <c>DeviceCommandsClient.Create</c> without a handler of
/// its own: one pooled <see cref="SocketsHttpHandler"/>, so a client per user or per request costs no socket. Pooled
/// connections are replaced every <see cref="PooledConnectionLifetime"/>, so a DNS change is seen. No client disposes it.
/// </summary>
internal static class SharedTransport
{
    /// <summary>How long a pooled connection is used before a new one replaces it: 5 minutes.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The shared handler, wrapped so that disposing a client's <see cref="HttpClient"/> never disposes it.</summary>
    public static HttpMessageHandler Handler => Lazy.Instance;

    /// <summary>A new handler with the client's settings: redirects are followed by the client itself, no cookies.</summary>
    public static SocketsHttpHandler CreateHandler() =>
        new() { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = PooledConnectionLifetime };

    /// <summary>Keeps a handler that belongs to someone else alive when a client's handlers are disposed.</summary>
    public sealed class NotOwned(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // the handler belongs to the process, or to the caller who gave it
        }
    }

    // made on first use only: a process whose clients all bring their own handler opens nothing
    private static class Lazy
    {
        public static readonly HttpMessageHandler Instance = new NotOwned(CreateHandler());
    }
}
