using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Requests;

/// <summary>
/// What a client made by <c>DeviceCommandsClient.Create</c> knows beyond its adapter: its clock and logger (for
/// the waits) and its limit on response bodies (for the reader). Its adapter implements this; any other adapter gets the
/// defaults.
/// </summary>
internal interface IClientContext
{
    /// <summary>The client's clock.</summary>
    TimeProvider Clock { get; }

    /// <summary>The client's logger.</summary>
    ILogger Logger { get; }

    /// <summary>The largest response body the client reads.</summary>
    long MaxResponseBytes { get; }

    /// <summary>The receiver of postbacks the client's waits use by default; null for none.</summary>
    Callbacks.CommandCallbackReceiver? Callbacks { get; }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the answer with <paramref name="reader"/>, as the reader would as a
    /// <see cref="ResponseHandlerOption"/> on the request, without putting one there: no option, list, options
    /// dictionary entry or reader object per request.
    /// </summary>
    Task<TModel?> SendAndReadAsync<TModel>(RequestInformation request, ResponseReader<TModel> reader, CancellationToken cancellationToken)
        where TModel : class, IParsable;
}

/// <summary>The <see cref="IClientContext"/> of an adapter, or the defaults for one that has none.</summary>
internal static class ClientContext
{
    /// <summary>The default cap on a response body: 4 MiB (the service's bodies are a few hundred bytes).</summary>
    public const long DefaultMaxResponseBytes = 4 * 1024 * 1024;

    public static TimeProvider ClockOf(IRequestAdapter? adapter) => (adapter as IClientContext)?.Clock ?? TimeProvider.System;

    public static ILogger LoggerOf(IRequestAdapter? adapter) => (adapter as IClientContext)?.Logger ?? NullLogger.Instance;

    public static Callbacks.CommandCallbackReceiver? CallbacksOf(IRequestAdapter? adapter) => (adapter as IClientContext)?.Callbacks;

    public static long MaxResponseBytesOf(IRequestAdapter? adapter) => (adapter as IClientContext)?.MaxResponseBytes ?? DefaultMaxResponseBytes;
}
