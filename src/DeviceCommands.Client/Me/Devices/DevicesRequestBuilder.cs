using DeviceCommands.Client.Http;
using DeviceCommands.Client.Me.Devices.Item;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using System.Runtime.CompilerServices;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices;

/// <summary>Builds requests for <c>/me/devices</c>: list the signed-in user's devices.</summary>
public partial class DevicesRequestBuilder : BaseRequestBuilder
{
    private const string Template = "{+baseurl}/me/devices";

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a builder with no adapter. Set up the members a
    /// test calls; one that is not set up and builds or sends a request throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected DevicesRequestBuilder()
        : base(MockingAdapter.Instance, Template, new Dictionary<string, object>())
    {
    }

    /// <summary>Creates the builder from path parameters.</summary>
    /// <param name="pathParameters">The path parameters, <c>baseurl</c> included.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public DevicesRequestBuilder(Dictionary<string, object> pathParameters, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, pathParameters)
    {
    }

    /// <summary>Creates the builder for a raw URL (for example an <c>@odata.nextLink</c>).</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public DevicesRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>One device: <c>/me/devices/{id}</c>. The id is opaque and sent as one percent-encoded path segment.</summary>
    /// <param name="deviceId">The device's id, as listed.</param>
    /// <returns>The builder for that device.</returns>
    /// <exception cref="ArgumentException"><paramref name="deviceId"/> is null, empty or white space.</exception>
    public virtual DeviceItemRequestBuilder this[string deviceId]
    {
        get => new(PathParameters, RequestAdapter, RequestFactory.RequireId(deviceId, nameof(deviceId)));
    }

    /// <summary>Lists the signed-in user's devices (<c>GET me/devices</c>; needs <c>Device.Read</c>).</summary>
    /// <param name="requestConfiguration">Headers, query parameters and request options (those honoured: docs/transport.md, "Request options").</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The devices; null when the service answers with no body.</returns>
    /// <exception cref="ODataError">The service answered with an error status.</exception>
    /// <exception cref="ApiException">No answer came (a network failure or a timeout inside), or it could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (only then).</exception>
    /// <exception cref="ArgumentException">A request option the client cannot honour, before anything is sent.</exception>
    /// <remarks>The credential's own exceptions pass through unchanged; see <see cref="DeviceCommandsClient"/>.</remarks>
    public virtual Task<DeviceCollectionResponse?> GetAsync(Action<RequestConfiguration<DefaultQueryParameters>>? requestConfiguration = default, CancellationToken cancellationToken = default) =>
        RequestSender.SendAsync(RequestAdapter, ToGetRequestInformation(requestConfiguration), DeviceCollectionResponse.CreateFromDiscriminatorValue, cancellationToken);

    /// <summary>
    /// Every device of every page, following each <c>@odata.nextLink</c> only on the client's own scheme, host and port,
    /// so the token never goes anywhere else.
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The devices, page by page, as they arrive.</returns>
    /// <exception cref="ApiException">A next link is not an absolute http(s) URL, leaves the client's host or base path, or repeats a page (before anything is sent to it).</exception>
    /// <exception cref="ODataError">The service answered a page with an error status.</exception>
    /// <remarks>A mock's builder (protected constructor) has no base URL: its next links go through <see cref="WithUrl"/> as they are.</remarks>
    public virtual async IAsyncEnumerable<Device> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // the client's host: its adapter's base URL (a mock's placeholder adapter has none)
        var origin = RequestAdapter is not MockingAdapter && Uri.TryCreate(RequestAdapter.BaseUrl, UriKind.Absolute, out var parsed) ? parsed : null;
        var read = new HashSet<string>(StringComparer.Ordinal);
        if (origin is not null && FirstPage(origin) is { } first)
        {
            read.Add(first); // a next link back to the first page is a cycle too
        }

        var page = await GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        while (page is not null)
        {
            foreach (var device in page.Value ?? [])
            {
                yield return device;
            }

            if (string.IsNullOrWhiteSpace(page.OdataNextLink))
            {
                yield break;
            }

            var next = NextLink.Resolve(page.OdataNextLink, origin);
            if (!read.Add(next))
            {
                throw new ApiException($"The service's next link repeats a page it already gave ({next}), so the listing stops rather than loop.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            page = await WithUrl(next).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first page's real URL, in the form <see cref="NextLink.Resolve"/> gives (null when it cannot be built).</summary>
    private string? FirstPage(Uri origin)
    {
        var request = RequestFactory.Create(RequestAdapter, Method.GET, UrlTemplate, PathParameters);
        try
        {
            // as the adapter sends it: its base URL, expanded by the package's own template rules
            request.PathParameters["baseurl"] = RequestAdapter.BaseUrl ?? origin.OriginalString;
            RequestUrl.Fix(request, RequestAdapter.BaseUrl);
            return NextLink.Comparable(request.URI);
        }
        catch (Exception e) when (e is UriFormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Builds the <c>GET me/devices</c> request without sending it.</summary>
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

    /// <summary>A builder for a raw URL, for example an <c>@odata.nextLink</c>.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <returns>A new builder.</returns>
    public virtual DevicesRequestBuilder WithUrl(string rawUrl) => new(rawUrl, RequestAdapter);
}
