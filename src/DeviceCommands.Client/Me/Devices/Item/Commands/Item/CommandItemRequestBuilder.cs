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

    /// <summary>
    /// The builder of one command, from its parent's path (<see cref="BuilderPath"/>): it keeps the parameters as
    /// fields rather than a dictionary of its own, so its base class's <c>PathParameters</c> stay empty (nothing of this
    /// type made here is a subclass that could read them); its requests and builders get them from <see cref="Path"/>.
    /// </summary>
    internal CommandItemRequestBuilder(BuilderPath path, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, RequestFactory.NoParameters)
    {
        _path = path;
    }

    private readonly BuilderPath _path;

    /// <summary>
    /// The status <c>GET</c> of <c>me/devices/{deviceId}/commands/{commandId}</c>, for ids already checked: the request
    /// that <c>Me.Devices[deviceId].Commands[commandId].ToGetRequestInformation()</c> builds, without the builders.
    /// </summary>
    internal static RequestInformation GetRequest(IRequestAdapter requestAdapter, string? baseUrl, string deviceId, string commandId)
    {
        var request = RequestFactory.Start(requestAdapter, Method.GET, Template);
        if (baseUrl is not null)
        {
            request.PathParameters[BaseUrlKey] = baseUrl;
        }

        request.PathParameters[RequestFactory.DeviceIdKey] = deviceId;
        request.PathParameters[RequestFactory.CommandIdKey] = commandId;
        request.Headers.TryAdd("Accept", "application/json");
        return RequestFactory.Finish(request);
    }

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public CommandItemRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>The command's response payload: <c>/me/devices/{id}/commands/{id}/responsePayload</c>.</summary>
    public virtual ResponsePayloadRequestBuilder ResponsePayload => new(_path.Inherited is null ? PathParameters : _path.ToDictionary(), RequestAdapter);

    /// <summary>The adapter the builder sends through, for the waits to find the client's clock and logger (<see cref="IClientContext"/>).</summary>
    internal IRequestAdapter Adapter => RequestAdapter;

    /// <summary>The base URL the builder was made with (<c>{+baseurl}</c>); null when the adapter's own is used, or for a raw URL.</summary>
    internal string? BaseUrl => Path[BaseUrlKey] as string;

    /// <summary>The device's id; null for a builder made from a raw URL.</summary>
    internal string? DeviceId => Path[RequestFactory.DeviceIdKey] as string;

    /// <summary>The command's id; null for a builder made from a raw URL.</summary>
    internal string? CommandId => Path[RequestFactory.CommandIdKey] as string;

    /// <summary>The builder's path parameters: from its parent, or for one made from a dictionary or a URL its <c>PathParameters</c>.</summary>
    private BuilderPath Path => _path.Inherited is null ? new(PathParameters, null, null) : _path;

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
        var request = RequestFactory.Create(RequestAdapter, Method.GET, UrlTemplate, Path);
        request.Configure(requestConfiguration);
        request.Headers.TryAdd("Accept", "application/json");
        return request;
    }

    /// <summary>A builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <returns>A new builder.</returns>
    public virtual CommandItemRequestBuilder WithUrl(string rawUrl) => new(rawUrl, RequestAdapter);
}
