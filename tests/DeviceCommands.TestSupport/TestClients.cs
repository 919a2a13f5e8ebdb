using Azure.Core;
using DeviceCommands.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.TestSupport;

/// <summary>The one client factory of the tests: a stock Kiota adapter (<see cref="Stock"/>), and <see cref="DeviceCommandsClient.Create"/> (<see cref="Created"/>, <see cref="Loopback(Uri, TokenCredential?, Action{DeviceCommandsClientOptions}?)"/>).</summary>
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

    /// <summary>
    /// The one factory of a client built as users build it (<see cref="DeviceCommandsClient.Create"/>): over
    /// <paramref name="handler"/> (the shared transport when null), with retries off unless <paramref name="maxRetries"/>
    /// says otherwise, then <paramref name="configure"/>d last.
    /// </summary>
    /// <param name="handler">The transport; null for the client's own shared transport (a loopback server or the emulator on a port).</param>
    /// <param name="configure">Changes the options after the arguments below are applied.</param>
    /// <param name="credential">The credential whose tokens the client sends; none (anonymous) when null.</param>
    /// <param name="clock">The options' <c>TimeProvider</c>; the system clock when null.</param>
    /// <param name="logs">The options' <c>LoggerFactory</c> (a <see cref="LogCapture"/>); none when null.</param>
    /// <param name="baseUrl">The service root; Graph's beta root when null.</param>
    /// <param name="maxRetries">The retries after a transient failure: 0 (off) by default; null for the client's default.</param>
    /// <param name="retryDelay">The first retry's delay; the client's default when null.</param>
    /// <returns>The client.</returns>
    public static DeviceCommandsClient Created(
        HttpMessageHandler? handler,
        Action<DeviceCommandsClientOptions>? configure = null,
        TokenCredential? credential = null,
        TimeProvider? clock = null,
        ILoggerFactory? logs = null,
        Uri? baseUrl = null,
        int? maxRetries = 0,
        TimeSpan? retryDelay = null)
    {
        var options = new DeviceCommandsClientOptions { HttpMessageHandler = handler, LoggerFactory = logs };
        options.TimeProvider = clock ?? options.TimeProvider;
        options.BaseUrl = baseUrl ?? options.BaseUrl;
        options.MaxRetries = maxRetries ?? options.MaxRetries;
        options.RetryDelay = retryDelay ?? options.RetryDelay;
        configure?.Invoke(options);
        return DeviceCommandsClient.Create(credential, options);
    }

    /// <summary>A client on the shared transport for a loopback server or an emulator on a port: the client's retries, 10 ms apart at first.</summary>
    /// <param name="baseUrl">The server's service root.</param>
    /// <param name="credential">The credential; none when null.</param>
    /// <param name="configure">Changes the options last.</param>
    /// <returns>The client.</returns>
    public static DeviceCommandsClient Loopback(Uri baseUrl, TokenCredential? credential = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return Created(null, configure, credential, baseUrl: baseUrl, maxRetries: null, retryDelay: TimeSpan.FromMilliseconds(10));
    }

    /// <summary>A client on the shared transport for this raw server (see <see cref="Loopback(Uri, TokenCredential?, Action{DeviceCommandsClientOptions}?)"/>).</summary>
    /// <param name="server">The server.</param>
    /// <param name="credential">The credential; none when null.</param>
    /// <param name="configure">Changes the options last.</param>
    /// <returns>The client.</returns>
    public static DeviceCommandsClient Loopback(RawHttpServer server, TokenCredential? credential = null, Action<DeviceCommandsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Loopback(server.BaseUrl, credential, configure);
    }

    /// <summary><see cref="Stock"/> when <paramref name="stock"/>, else <see cref="Created"/>: for tests run through both adapters.</summary>
    /// <param name="handler">The transport.</param>
    /// <param name="stock">Whether to use a stock Kiota adapter.</param>
    /// <returns>The client.</returns>
    public static DeviceCommandsClient StockOrCreated(HttpMessageHandler handler, bool stock) => stock ? Stock(handler) : Created(handler);

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
