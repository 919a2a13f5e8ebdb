using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>Clients for the waiting tests: a stock Kiota adapter over a scripted handler, independent of the transport of Create.</summary>
internal static class WaitingClients
{
    public static DeviceCommandsClient Over(HttpMessageHandler handler) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(handler)) { BaseUrl = "https://graph.microsoft.com/beta" });

    /// <summary>An IProgress that records synchronously (Progress&lt;T&gt; would post to a context).</summary>
    public sealed class Recorder<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];

        public void Report(T value)
        {
            lock (Items)
            {
                Items.Add(value);
            }
        }
    }
}
