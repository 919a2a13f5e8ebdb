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

    /// <summary>The builder for one more path parameter: copies the parent's parameters once (Kiota's base class copies them).</summary>
    internal DeviceItemRequestBuilder(Dictionary<string, object> parentParameters, IRequestAdapter requestAdapter, string key, string id)
        : base(requestAdapter, Template, parentParameters)
    {
        PathParameters[key] = id;
    }

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public DeviceItemRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    /// <summary>The device's commands: <c>/me/devices/{id}/commands</c>.</summary>
    public virtual CommandsRequestBuilder Commands => new(this);

    /// <summary>The builder's path parameters, for its commands' builder to share (neither writes to them).</summary>
    internal Dictionary<string, object> Parameters => PathParameters;

    /// <summary>The adapter the builder sends through.</summary>
    internal IRequestAdapter Adapter => RequestAdapter;
}
