using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The Kiota adapter made by <see cref="DeviceCommandsClient.Create"/>: a stock <see cref="HttpClientRequestAdapter"/>
/// with private JSON factories, that also remembers the options it was made with (its clock, its logger) so that
/// helpers such as the command waits can use them.
/// </summary>
internal sealed class DeviceCommandsRequestAdapter : HttpClientRequestAdapter
{
    public DeviceCommandsRequestAdapter(IAuthenticationProvider authentication, HttpClient httpClient, DeviceCommandsClientOptions options)
        : base(authentication, new JsonParseNodeFactory(), new JsonSerializationWriterFactory(), httpClient)
    {
        Options = options;
        Logger = ClientPipeline.Logger(options);
        BaseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
    }

    public DeviceCommandsClientOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The logger of the client behind <paramref name="adapter"/>: its options' one for a client from <c>Create</c>, else none.</summary>
    public static ILogger LoggerOf(IRequestAdapter adapter) =>
        adapter is DeviceCommandsRequestAdapter ours ? ours.Logger : NullLogger.Instance;

    /// <summary>The clock of the client behind <paramref name="adapter"/>: its options' one for a client from <c>Create</c>, else the system clock.</summary>
    public static TimeProvider TimeProviderOf(IRequestAdapter adapter) =>
        adapter is DeviceCommandsRequestAdapter ours ? ours.Options.TimeProvider : TimeProvider.System;
}
