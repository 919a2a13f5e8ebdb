using DeviceCommands.Client.Me;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client;

/// <summary>
/// The entry point of the device-command API: <c>client.Me.Devices[id].Commands[cid].GetAsync()</c>.
/// Build one with <see cref="Create"/> (auth, resilience, host safety) or over any Kiota <see cref="IRequestAdapter"/>.
/// </summary>
/// <remarks>
/// A request's failure reaches the caller as an <see cref="ApiException"/> (an <see cref="Models.ODataError"/> for an
/// error answer), bad input as an <see cref="ArgumentException"/> before anything is sent, an
/// <see cref="OperationCanceledException"/> only for the caller's own token; the credential's own exceptions pass
/// through. The whole list: docs/transport.md ("Errors").
/// </remarks>
public partial class DeviceCommandsClient : BaseRequestBuilder
{
    /// <summary>The service's base URL: <c>https://graph.microsoft.com/beta</c>.</summary>
    public const string DefaultBaseUrl = "https://graph.microsoft.com/beta";

    /// <summary>
    /// Creates a client over any Kiota request adapter. An empty <see cref="IRequestAdapter.BaseUrl"/> becomes
    /// <see cref="DefaultBaseUrl"/>. Kiota's process-wide serializer registries are left as they are: this client
    /// reads and writes with its own stock JSON factories, so other Kiota clients in the process are unaffected.
    /// </summary>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public DeviceCommandsClient(IRequestAdapter requestAdapter)
        : base(requestAdapter ?? throw new ArgumentNullException(nameof(requestAdapter)), "{+baseurl}", new Dictionary<string, object>())
    {
        if (string.IsNullOrEmpty(RequestAdapter.BaseUrl))
        {
            RequestAdapter.BaseUrl = DefaultBaseUrl;
        }

        PathParameters.TryAdd("baseurl", RequestAdapter.BaseUrl ?? DefaultBaseUrl);
    }

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a client with no adapter and no base URL. Set up
    /// the members a test calls; a request built or sent through one that is not set up throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected DeviceCommandsClient()
        : base(MockingAdapter.Instance, "{+baseurl}", new Dictionary<string, object>())
    {
    }

    private MeRequestBuilder? _me;

    /// <summary>The signed-in user: <c>/me</c>.</summary>
    /// <remarks>One builder per client (it holds no ids, and a request never writes to a builder's parameters).</remarks>
    public virtual MeRequestBuilder Me => _me ??= new(PathParameters, RequestAdapter);
}
