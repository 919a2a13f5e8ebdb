using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices.Item.Commands.Item.ResponsePayload;

/// <summary>Builds requests for a command's response payload: <c>/me/devices/{id}/commands/{id}/responsePayload</c>.</summary>
public partial class ResponsePayloadRequestBuilder : BaseRequestBuilder
{
    private const string Template = "{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}/responsePayload";

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a builder with no adapter. Set up the members a
    /// test calls; one that is not set up and builds or sends a request throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected ResponsePayloadRequestBuilder()
        : base(MockingAdapter.Instance, Template, new Dictionary<string, object>())
    {
    }

    /// <summary>Creates the builder from path parameters.</summary>
    /// <param name="pathParameters">The path parameters: <c>baseurl</c>, <c>device%2Did</c> and <c>command%2Did</c>.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public ResponsePayloadRequestBuilder(Dictionary<string, object> pathParameters, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, pathParameters)
    {
    }

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public ResponsePayloadRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>Reads what the app service sent back (<c>GET …/responsePayload</c>; needs <c>Device.Command</c>).</summary>
    /// <param name="requestConfiguration">Headers, query parameters and request options (those honoured: docs/transport.md, "Request options").</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The payload response; null when the service answers with no body.</returns>
    /// <exception cref="ODataError">The service answered with an error status.</exception>
    /// <exception cref="ApiException">No answer came (a network failure or a timeout inside), or it could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (only then).</exception>
    /// <exception cref="ArgumentException">A request option the client cannot honour, before anything is sent.</exception>
    /// <remarks>The credential's own exceptions pass through unchanged; see <see cref="DeviceCommandsClient"/>.</remarks>
    public virtual Task<PayloadResponse?> GetAsync(Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default, CancellationToken cancellationToken = default) =>
        RequestSender.SendAsync(RequestAdapter, ToGetRequestInformation(requestConfiguration), PayloadResponse.CreateFromDiscriminatorValue, cancellationToken);

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
    public virtual ResponsePayloadRequestBuilder WithUrl(string rawUrl) => new(rawUrl, RequestAdapter);
}
