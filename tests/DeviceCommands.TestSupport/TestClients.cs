using Azure.Core;
using DeviceCommands.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.TestSupport;

/// <summary>The two ways of building a client over a test handler: a stock Kiota adapter, and <see cref="DeviceCommandsClient.Create"/>.</summary>
public static class TestClients
{
    /// <summary>The base URL of every client made here.</summary>
    public const string BaseUrl = "https://graph.microsoft.com/beta";

    /// <summary>A client over a stock <see cref="HttpClientRequestAdapter"/> with Kiota's defaults (the process-wide registries), independent of the transport of <c>Create</c>.</summary>
    /// <param name="handler">The transport; not disposed with the client.</param>
    /// <param name="maxResponseBytes">When set, the <see cref="HttpClient.MaxResponseContentBufferSize"/> (a stock client buffers a whole body before Kiota reads it, so the README asks users who bring their own adapter to set it).</param>
    /// <returns>The client.</returns>
    public static DeviceCommandsClient Stock(HttpMessageHandler handler, long? maxResponseBytes = null)
    {
        var http = new HttpClient(handler, disposeHandler: false);
        if (maxResponseBytes is long max)
        {
            http.MaxResponseContentBufferSize = max;
        }

        return new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = BaseUrl });
    }

    /// <summary>A client from <see cref="DeviceCommandsClient.Create"/> with retries off, then <paramref name="configure"/>d.</summary>
    /// <param name="handler">The transport.</param>
    /// <param name="configure">Changes the options (retries, clock, logging, ...).</param>
    /// <param name="credential">The credential whose tokens the client sends; none (anonymous) when null.</param>
    /// <returns>The client.</returns>
    public static DeviceCommandsClient Created(HttpMessageHandler handler, Action<DeviceCommandsClientOptions>? configure = null, TokenCredential? credential = null)
    {
        var options = new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0 };
        configure?.Invoke(options);
        return DeviceCommandsClient.Create(credential, options);
    }

    /// <summary>Both clients over one handler, named "stock" and "created".</summary>
    /// <param name="handler">The transport.</param>
    /// <param name="maxResponseBytes">When set, the body limit of both (see <see cref="Stock"/>).</param>
    /// <returns>The (name, client) pairs.</returns>
    public static IReadOnlyList<(string Name, DeviceCommandsClient Client)> Both(HttpMessageHandler handler, long? maxResponseBytes = null) =>
    [
        ("stock", Stock(handler, maxResponseBytes)),
        ("created", Created(handler, o =>
        {
            if (maxResponseBytes is long max)
            {
                o.MaxResponseContentBytes = max;
            }
        })),
    ];
}
