using System.Diagnostics.CodeAnalysis;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Abstractions.Store;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// The adapter of a client or request builder made by its protected parameterless constructor, for mocking (Kiota's
/// base class needs one). It sends nothing: every member throws <see cref="NotSupportedException"/> that says why, so
/// a member a test did not set up fails clearly instead of with a <see cref="NullReferenceException"/>. It is not an
/// <see cref="IClientContext"/>, so a wait over a mock uses its options' clock, else <see cref="TimeProvider.System"/>.
/// </summary>
internal sealed class MockingAdapter : IRequestAdapter
{
    /// <summary>What a builder made for mocking says when a member that was not set up is called.</summary>
    public const string Message =
        "This client or request builder was made by its protected parameterless constructor, for mocking: it has no request adapter, "
        + "so it cannot build or send a request. Set up (or override) the member you call on the mock, e.g. GetAsync or PostAsync.";

    /// <summary>The one instance (it has no state).</summary>
    public static readonly MockingAdapter Instance = new();

    private MockingAdapter()
    {
    }

    /// <inheritdoc/>
    public ISerializationWriterFactory SerializationWriterFactory => throw NotSetUp();

    /// <inheritdoc/>
    public string? BaseUrl
    {
        get => throw NotSetUp();
        set => throw NotSetUp();
    }

    /// <summary>Throws when <paramref name="adapter"/> is the placeholder: a request cannot be built for a builder made for mocking.</summary>
    /// <param name="adapter">The builder's adapter.</param>
    public static void ThrowIfPlaceholder(IRequestAdapter adapter)
    {
        if (ReferenceEquals(adapter, Instance))
        {
            throw NotSetUp();
        }
    }

    /// <summary>The exception for a member that was not set up.</summary>
    /// <returns>The exception.</returns>
    public static NotSupportedException NotSetUp() => new(Message);

    /// <inheritdoc/>
    public void EnableBackingStore(IBackingStoreFactory backingStoreFactory) => throw NotSetUp();

    /// <inheritdoc/>
    public Task<ModelType?> SendAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        where ModelType : IParsable => throw NotSetUp();

    /// <inheritdoc/>
    public Task<IEnumerable<ModelType>?> SendCollectionAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        where ModelType : IParsable => throw NotSetUp();

    /// <inheritdoc/>
    public Task<ModelType?> SendPrimitiveAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) =>
        throw NotSetUp();

    /// <inheritdoc/>
    public Task<IEnumerable<ModelType>?> SendPrimitiveCollectionAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) =>
        throw NotSetUp();

    /// <inheritdoc/>
    public Task SendNoContentAsync(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) =>
        throw NotSetUp();

    /// <inheritdoc/>
    public Task<T?> ConvertToNativeRequestAsync<T>(RequestInformation requestInfo, CancellationToken cancellationToken = default) =>
        throw NotSetUp();
}
