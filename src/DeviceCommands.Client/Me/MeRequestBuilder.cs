using DeviceCommands.Client.Me.Devices;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me;

/// <summary>Builds requests under <c>/me</c>, the signed-in user.</summary>
public partial class MeRequestBuilder : BaseRequestBuilder
{
    private const string Template = "{+baseurl}/me";

    /// <summary>
    /// For mocking only (Moq, NSubstitute, FakeItEasy or a subclass): a builder with no adapter. Set up the members a
    /// test calls; one that is not set up and builds or sends a request throws <see cref="NotSupportedException"/>.
    /// </summary>
    protected MeRequestBuilder()
        : base(MockingAdapter.Instance, Template, new Dictionary<string, object>())
    {
    }

    /// <summary>Creates the builder from path parameters.</summary>
    /// <param name="pathParameters">The path parameters, <c>baseurl</c> included.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public MeRequestBuilder(Dictionary<string, object> pathParameters, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, pathParameters)
    {
    }

    /// <summary>Creates the builder for a raw URL.</summary>
    /// <param name="rawUrl">The absolute URL.</param>
    /// <param name="requestAdapter">The adapter that sends the requests.</param>
    public MeRequestBuilder(string rawUrl, IRequestAdapter requestAdapter)
        : base(requestAdapter, Template, rawUrl)
    {
    }

    private DevicesRequestBuilder? _devices;

    /// <summary>The user's devices: <c>/me/devices</c>.</summary>
    /// <remarks>One builder per <see cref="MeRequestBuilder"/> (it holds no ids, and a request never writes to a builder's parameters).</remarks>
    public virtual DevicesRequestBuilder Devices => _devices ??= new(PathParameters, RequestAdapter);
}
