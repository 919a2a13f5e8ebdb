using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using RichardSzalay.MockHttp;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>Clients over a MockHttp handler: the stock Kiota adapter path, and the <c>Create</c> path.</summary>
internal static class TestClients
{
    public const string BaseUrl = "https://graph.microsoft.com/beta";

    /// <summary>A client over a stock <see cref="HttpClientRequestAdapter"/> built with Kiota's defaults (the process-wide registries).</summary>
    public static DeviceCommandsClient Stock(MockHttpMessageHandler handler) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: handler.ToHttpClient()));

    /// <summary>A client from <see cref="DeviceCommandsClient.Create"/> with retries off.</summary>
    public static DeviceCommandsClient Created(HttpMessageHandler handler, int maxRetries = 0) =>
        DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = maxRetries });

    public static IEnumerable<Func<MockHttpMessageHandler, DeviceCommandsClient>> Both =>
        [Stock, m => Created(m)];
}
