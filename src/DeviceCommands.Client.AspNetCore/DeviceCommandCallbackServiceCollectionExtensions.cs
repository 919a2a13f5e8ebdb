using DeviceCommands.Client.Callbacks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DeviceCommands.Client.AspNetCore;

/// <summary>
/// Registers the process's <see cref="CommandCallbackReceiver"/> (a singleton): the client registered with
/// <c>AddDeviceCommandsClient</c> takes it as its <see cref="DeviceCommandsClientOptions.Callbacks"/>, so its
/// <c>SendAndWaitAsync</c> waits send a postBackUri and are woken by callbacks; serve it with
/// <see cref="DeviceCommandCallbackEndpoints.MapDeviceCommandCallbacks(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string)"/>.
/// </summary>
public static class DeviceCommandCallbackServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="CommandCallbackReceiver"/> for <paramref name="callbackBaseUrl"/>, once (a second call is ignored).</summary>
    /// <param name="services">The services.</param>
    /// <param name="callbackBaseUrl">The absolute http(s) URL under which the service reaches this app's callback endpoint (e.g. <c>https://backend.example.com/device-commands/callbacks</c>).</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="callbackBaseUrl"/> cannot carry keys (see <see cref="CommandCallbackReceiver(Uri)"/>).</exception>
    public static IServiceCollection AddDeviceCommandCallbacks(this IServiceCollection services, Uri callbackBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new CommandCallbackReceiver(callbackBaseUrl));
        return services;
    }
}
