using DeviceCommands.Client.Me.Devices.Item.Commands.Item.ResponsePayload;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices.Item.Commands.Item;

/// <summary>Builds requests for one command: <c>/me/devices/{id}/commands/{id}</c>.</summary>
public partial class CommandItemRequestBuilder : BaseRequestBuilder
{
    private const string BaseUrlKey = "baseurl";

    private const string Template = "{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}";

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a builder with no adapter. Set up the members a
    /// test calls; one that is not set up and builds or sends a request throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected CommandItemRequestBuilder()
        : base(MockingAdapter.Instance, Template, new Dictionary<string, object>())
    {
    }

    /// <summary>Creates the builder from path parameters.</summary>
    /// <param name="pathParameters">The path parameters: <c>baseurl</c>, <c>device%2Did</c> and <c>command%2Did</c>.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public CommandItemRequestBuilder(Dictionary<string, object> pathParameters, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, pathParameters)
    {
    }

    /// <summary>The builder for one more path parameter: copies the parent's parameters once (Kiota's base class copies them).</summary>
    internal CommandItemRequestBuilder(Dictionary<string, object> parentParameters, IRequestAdapter requestAdapter, string key, string id)
        : base(requestAdapter, Template, parentParameters)
    {
        PathParameters[key] = id;
    }

    /// <summary>The builder of <c>me/devices/{deviceId}/commands/{commandId}</c>, for ids already checked.</summary>
    internal static CommandItemRequestBuilder For(IRequestAdapter requestAdapter, string? baseUrl, string deviceId, string commandId) =>
        new(Parameters(baseUrl, deviceId), requestAdapter, RequestFactory.CommandIdKey, commandId);

    /// <summary>
    /// The status <c>GET</c> of <c>me/devices/{deviceId}/commands/{commandId}</c>, for ids already checked: the request
    /// <see cref="For"/>(…).<see cref="ToGetRequestInformation"/> builds, with one dictionary of path parameters instead of three.
    /// </summary>
    internal static RequestInformation GetRequest(IRequestAdapter requestAdapter, string? baseUrl, string deviceId, string commandId)
    {
        var parameters = Parameters(baseUrl, deviceId);
        parameters[RequestFactory.CommandIdKey] = commandId;
        var request = RequestFactory.CreateOwning(requestAdapter, Method.GET, Template, parameters);
        request.Headers.TryAdd("Accept", "application/json");
        return request;
    }

    private static Dictionary<string, object> Parameters(string? baseUrl, string deviceId)
    {
        var parameters = new Dictionary<string, object>(3) { [RequestFactory.DeviceIdKey] = deviceId };
        if (baseUrl is not null)
        {
            parameters[BaseUrlKey] = baseUrl;
        }

        return parameters;
    }

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public CommandItemRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>The command's response payload: <c>/me/devices/{id}/commands/{id}/responsePayload</c>.</summary>
    public virtual ResponsePayloadRequestBuilder ResponsePayload => new(PathParameters, RequestAdapter);

    /// <summary>The adapter the builder sends through, for the waits to find the client's clock and logger (<see cref="IClientContext"/>).</summary>
    internal IRequestAdapter Adapter => RequestAdapter;

    /// <summary>The base URL the builder was made with (<c>{+baseurl}</c>); null when the adapter's own is used, or for a raw URL.</summary>
    internal string? BaseUrl => PathParameters.TryGetValue(BaseUrlKey, out var url) ? url as string : null;

    /// <summary>The device's id; null for a builder made from a raw URL.</summary>
    internal string? DeviceId => PathParameters.TryGetValue(RequestFactory.DeviceIdKey, out var id) ? id as string : null;

    /// <summary>The command's id; null for a builder made from a raw URL.</summary>
    internal string? CommandId => PathParameters.TryGetValue(RequestFactory.CommandIdKey, out var id) ? id as string : null;

    /// <summary>Reads the command's status (<c>GET me/devices/{id}/commands/{id}</c>; needs <c>Device.Command</c>).</summary>
    /// <param name="requestConfiguration">Headers, query parameters and request options (those honoured: docs/transport.md, "Request options").</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The command; null when the service answers with no body.</returns>
    /// <exception cref="ODataError">The service answered with an error status (404: no such device or command).</exception>
    /// <exception cref="ApiException">No answer came (a network failure or a timeout inside), or it could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (only then).</exception>
    /// <exception cref="ArgumentException">A request option the client cannot honour, before anything is sent.</exception>
    /// <remarks>The credential's own exceptions pass through unchanged; see <see cref="DeviceCommandsClient"/>.</remarks>
    public virtual Task<Command?> GetAsync(Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default, CancellationToken cancellationToken = default) =>
        RequestSender.SendAsync(RequestAdapter, ToGetRequestInformation(requestConfiguration), Command.CreateFromDiscriminatorValue, cancellationToken);

    /// <summary>Builds the <c>GET</c> request without sending it.</summary>
    /// <param name="requestConfiguration">Headers, query parameters and request options for this request: a client of
    /// <see cref="DeviceCommandsClient.Create"/> honours Kiota's <c>RetryHandlerOption</c> (<c>MaxRetry = 0</c> turns retries off),
    /// <c>HeadersInspectionHandlerOption</c> and <c>ResponseHandlerOption</c>, and <see cref="Requests.ResponseSizeLimitOption"/>.</param>
    /// <returns>The request.</returns>
    public virtual RequestInformation ToGetRequestInformation(Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default)
    {
        var request = RequestFactory.Create(RequestAdapter, Method.GET, UrlTemplate, PathParameters);
        request.Configure(requestConfiguration);
        request.Headers.TryAdd("Accept", "application/json");
        return request;
    }

    /// <summary>A builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <returns>A new builder.</returns>
    public virtual CommandItemRequestBuilder WithUrl(string rawUrl) => new(rawUrl, RequestAdapter);
}
