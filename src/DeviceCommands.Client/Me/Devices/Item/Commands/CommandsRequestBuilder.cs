using DeviceCommands.Client.Me.Devices.Item.Commands.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices.Item.Commands;

/// <summary>Builds requests for <c>/me/devices/{id}/commands</c>: send a command to a device.</summary>
public partial class CommandsRequestBuilder : BaseRequestBuilder
{
    private const string Template = "{+baseurl}/me/devices/{device%2Did}/commands";

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a builder with no adapter. Set up the members a
    /// test calls; one that is not set up and builds or sends a request throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected CommandsRequestBuilder()
        : base(MockingAdapter.Instance, Template, new Dictionary<string, object>())
    {
    }

    /// <summary>Creates the builder from path parameters.</summary>
    /// <param name="pathParameters">The path parameters, <c>baseurl</c> and <c>device%2Did</c> included.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public CommandsRequestBuilder(Dictionary<string, object> pathParameters, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, pathParameters)
    {
    }

    /// <summary>
    /// The builder of a device's commands, from the device builder's path (<see cref="BuilderPath"/>: its parent's
    /// parameters, shared, and its id), so the chain copies no dictionary for it. For a device builder made from a
    /// dictionary or a URL, it shares that builder's <c>PathParameters</c> (neither writes to them).
    /// </summary>
    internal CommandsRequestBuilder(DeviceItemRequestBuilder device)
        : base(device.Adapter, Template, RequestFactory.NoParameters)
    {
        _path = device.Path;
        if (_path.DeviceId is null)
        {
            PathParameters = _path.Inherited;
        }
    }

    private readonly BuilderPath _path;

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public CommandsRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>One command: <c>/me/devices/{id}/commands/{id}</c>. The id is opaque and sent as one percent-encoded path segment.</summary>
    /// <param name="commandId">The command's id, as the service returned it.</param>
    /// <returns>The builder for that command.</returns>
    /// <exception cref="ArgumentException"><paramref name="commandId"/> is null, empty or white space.</exception>
    public virtual CommandItemRequestBuilder this[string commandId]
    {
        get
        {
            var path = Path;
            return new(new BuilderPath(path.Inherited, path.DeviceId, RequestFactory.RequireId(commandId, nameof(commandId))), RequestAdapter);
        }
    }

    /// <summary>Sends a command to the device (<c>POST me/devices/{id}/commands</c>; needs <c>Device.Command</c>).</summary>
    /// <param name="body">The command, for example <see cref="Command.LaunchUri(Uri)"/> or <see cref="Command.AppService"/>.</param>
    /// <param name="requestConfiguration">Headers, query parameters and request options (those honoured: docs/transport.md, "Request options").</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created command, with its id and first status.</returns>
    /// <exception cref="ODataError">The service answered with an error status.</exception>
    /// <exception cref="ApiException">No answer came (a network failure or a timeout inside), or it could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (only then).</exception>
    /// <exception cref="ArgumentException">A request option the client cannot honour, before anything is sent.</exception>
    /// <remarks>The credential's own exceptions pass through unchanged; see <see cref="DeviceCommandsClient"/>.</remarks>
    public virtual Task<Command?> PostAsync(Command body, Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default, CancellationToken cancellationToken = default) =>
        RequestSender.SendAsync(RequestAdapter, ToPostRequestInformation(body, requestConfiguration), Command.CreateFromDiscriminatorValue, cancellationToken);

    /// <summary>Builds the <c>POST</c> request without sending it; the body is the command's camelCase JSON.</summary>
    /// <param name="body">The command.</param>
    /// <param name="requestConfiguration">Headers, query parameters and request options for this request: a client of
    /// <see cref="DeviceCommandsClient.Create"/> honours Kiota's <c>RetryHandlerOption</c> (<c>MaxRetry = 0</c> turns retries off),
    /// <c>HeadersInspectionHandlerOption</c> and <c>ResponseHandlerOption</c>, and <see cref="Requests.ResponseSizeLimitOption"/>.</param>
    /// <returns>The request.</returns>
    public virtual RequestInformation ToPostRequestInformation(Command body, Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var request = RequestFactory.Create(RequestAdapter, Method.POST, UrlTemplate, Path);
        request.Configure(requestConfiguration);
        request.Headers.TryAdd("Accept", "application/json");
        RequestSender.SetJsonContent(request, body);
        return request;
    }

    /// <summary>The builder's path parameters: from its device builder, or for one made from a dictionary or a URL its <c>PathParameters</c>.</summary>
    private BuilderPath Path => _path.Inherited is null ? new(PathParameters, null, null) : _path;

    /// <summary>The adapter the builder sends through, for the waits to find the client's clock and logger (<see cref="IClientContext"/>).</summary>
    internal IRequestAdapter Adapter => RequestAdapter;

    /// <summary>A builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <returns>A new builder.</returns>
    public virtual CommandsRequestBuilder WithUrl(string rawUrl) => new(rawUrl, RequestAdapter);
}
