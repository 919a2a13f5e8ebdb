using DeviceCommands.Client.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        WarnIfElsewhere(endpoints, pattern, receiver);
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
        return endpoints.MapDeviceCommandCallbacks(pattern, Registered(endpoints));
    }

    /// <summary>Maps <c>POST {path}/{key}</c>, where the path is that of the registered receiver's <see cref="CommandCallbackReceiver.CallbackBaseUrl"/>, so the two cannot differ.</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <returns>The endpoint's builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No receiver is registered.</exception>
    public static IEndpointConventionBuilder MapDeviceCommandCallbacks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var receiver = Registered(endpoints);
        return endpoints.MapDeviceCommandCallbacks(receiver.CallbackBaseUrl.AbsolutePath, receiver);
    }

    private static CommandCallbackReceiver Registered(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<CommandCallbackReceiver>()
            ?? throw new InvalidOperationException("No CommandCallbackReceiver is registered: call services.AddDeviceCommandCallbacks(callbackBaseUrl) first, or pass a receiver.");

    /// <summary>
    /// Warns when the route cannot be where the receiver's URL points (its path does not end with the pattern): the
    /// service's postbacks would get 404s and every wait would fall back to polling. A path base or a proxy that strips
    /// a prefix still matches; only a warning, as a proxy may rewrite the path.
    /// </summary>
    private static void WarnIfElsewhere(IEndpointRouteBuilder endpoints, string pattern, CommandCallbackReceiver receiver)
    {
        var route = "/" + pattern.Trim('/');
        var path = "/" + receiver.CallbackBaseUrl.AbsolutePath.Trim('/');
        if (route == "/" || path.EndsWith(route, StringComparison.OrdinalIgnoreCase)) // both start with '/': a whole-segment suffix
        {
            return;
        }

        endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(typeof(DeviceCommandCallbackEndpoints).FullName!).LogWarning(
            new EventId(1, "CallbackRouteElsewhere"),
            "The device-command callbacks are mapped at '{Route}', but the receiver's callback URL is {CallbackBaseUrl}: postbacks sent there will not reach this endpoint, and waits will poll instead. Map the receiver's path (MapDeviceCommandCallbacks() with no pattern), unless a proxy rewrites the path.",
            route,
            receiver.CallbackBaseUrl);
    }
}
