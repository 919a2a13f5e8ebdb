using DeviceCommands.Client.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceCommands.Client.AspNetCore;

/// <summary>
/// Serves the service's postbacks: <c>POST {pattern}/{key}</c>, answered 202 Accepted (a wait of this process holds
/// the key and will look at once), 404 (no wait here holds it; nothing is sent), 400 (not a key), 413 (a body over
/// 64 KiB, not read further). The endpoint never decides an outcome: the wait's own GET does.
/// </summary>
public static class DeviceCommandCallbackEndpoints
{
    /// <summary>Maps <c>POST {pattern}/{key}</c> to <paramref name="receiver"/>.</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route of the callbacks, the path of the receiver's <see cref="CommandCallbackReceiver.CallbackBaseUrl"/> (e.g. <c>/device-commands/callbacks</c>).</param>
    /// <param name="receiver">The receiver the waits of this process use.</param>
    /// <returns>The endpoint's builder, for more conventions. It allows anonymous callers: the service sends no token with a postback, the unguessable key is the only credential, and a callback is only ever a hint.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public static IEndpointConventionBuilder MapDeviceCommandCallbacks(this IEndpointRouteBuilder endpoints, string pattern, CommandCallbackReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentNullException.ThrowIfNull(receiver);
        return endpoints.MapPost(pattern.TrimEnd('/') + "/{key}", context => CallbackRequest.AnswerAsync(context, receiver))
            .WithDisplayName("DeviceCommands callbacks")
            .AllowAnonymous();
    }

    /// <summary>Maps <c>POST {pattern}/{key}</c> to the <see cref="CommandCallbackReceiver"/> registered in the app's services (<see cref="DeviceCommandCallbackServiceCollectionExtensions.AddDeviceCommandCallbacks"/>).</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route of the callbacks (the path of the receiver's base URL).</param>
    /// <returns>The endpoint's builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No receiver is registered.</exception>
    public static IEndpointConventionBuilder MapDeviceCommandCallbacks(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var receiver = endpoints.ServiceProvider.GetService<CommandCallbackReceiver>()
            ?? throw new InvalidOperationException("No CommandCallbackReceiver is registered: call services.AddDeviceCommandCallbacks(callbackBaseUrl) first, or pass a receiver.");
        return endpoints.MapDeviceCommandCallbacks(pattern, receiver);
    }
}
