using DeviceCommands.Client.Me.Devices.Item.Commands;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices.Item;

/// <summary>Builds requests under one device: <c>/me/devices/{id}</c>.</summary>
public partial class DeviceItemRequestBuilder : BaseRequestBuilder
{
    private const string Template = "{+baseurl}/me/devices/{device%2Did}";

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a builder with no adapter. Set up the members a
    /// test calls; one that is not set up and builds or sends a request throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected DeviceItemRequestBuilder()
        : base(MockingAdapter.Instance, Template, new Dictionary<string, object>())
    {
    }

    /// <summary>Creates the builder from path parameters.</summary>
    /// <param name="pathParameters">The path parameters, <c>baseurl</c> and <c>device%2Did</c> included.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public DeviceItemRequestBuilder(Dictionary<string, object> pathParameters, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, pathParameters)
    {
    }

    /// <summary>
    /// The builder of one device, from its parent's parameters: it keeps them and the id as fields (<see cref="Path"/>)
    /// rather than a dictionary of its own, so its base class's <c>PathParameters</c> stay empty (nothing of this type
    /// made here is a subclass that could read them); its requests and builders get them from <see cref="Path"/>.
    /// </summary>
    internal DeviceItemRequestBuilder(Dictionary<string, object> parentParameters, IRequestAdapter requestAdapter, string deviceId)
        : base(requestAdapter, Template, RequestFactory.NoParameters)
    {
        _path = new(parentParameters, deviceId, null);
    }

    private readonly BuilderPath _path;

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public DeviceItemRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>The device's commands: <c>/me/devices/{id}/commands</c>.</summary>
    public virtual CommandsRequestBuilder Commands => new(this);

    /// <summary>The builder's path parameters: its fields, or for a builder made from a dictionary or a URL its <c>PathParameters</c>.</summary>
    internal BuilderPath Path => _path.Inherited is null ? new(PathParameters, null, null) : _path;

    /// <summary>The adapter the builder sends through.</summary>
    internal IRequestAdapter Adapter => RequestAdapter;
}
