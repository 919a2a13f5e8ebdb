using Microsoft.AspNetCore.Http.Features;

namespace DeviceCommands.Emulator.Wire;

/// <summary>What a request target names.</summary>
internal enum Route
{
    None,
    Devices,
    Commands,
    Command,
    ResponsePayload,
    Admin,
}

/// <summary>A matched request target: the route, the ids it names, and for the admin API the segments after <c>/_emulator</c>.</summary>
internal readonly record struct RouteMatch(Route Route, string? DeviceId = null, string? CommandId = null, string[]? AdminPath = null);

/// <summary>
/// Routes on the raw request target, percent-decoding each segment itself, so an id holding an encoded <c>/</c>,
/// <c>?</c>, <c>#</c>, <c>%</c>, space or non-ASCII character is matched as one id. Literal segments match
/// case-insensitively; ids match ordinally. A trailing slash is tolerated; an absolute-form target is routed on its path.
/// </summary>
internal static class Routing
{
    public const string AdminSegment = "_emulator";

    /// <summary>The request target as received (Kestrel's raw target; the in-memory handler sets the same).</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.Path.ToUriComponent() + context.Request.QueryString;

    public static RouteMatch Match(string target)
    {
        if (!target.StartsWith('/') && Uri.TryCreate(target, UriKind.Absolute, out Uri? absolute))
        {
            target = absolute.AbsolutePath; // absolute-form request target
        }

        int end = target.IndexOfAny(['?', '#']);
        string[] segments = (end < 0 ? target : target[..end]).Split('/');
        int count = segments.Length > 1 && segments[^1].Length == 0 ? segments.Length - 1 : segments.Length;
        if (count < 2 || segments[0].Length != 0)
        {
            return default;
        }

        if (Is(segments[1], AdminSegment))
        {
            return new RouteMatch(Route.Admin, AdminPath: [.. segments[2..count].Select(Uri.UnescapeDataString)]);
        }

        if (count < 4 || !Is(segments[1], "beta") || !Is(segments[2], "me") || !Is(segments[3], "devices"))
        {
            return default;
        }

        string? deviceId = count > 4 ? Uri.UnescapeDataString(segments[4]) : null;
        string? commandId = count > 6 ? Uri.UnescapeDataString(segments[6]) : null;
        if (deviceId is { Length: 0 } || commandId is { Length: 0 })
        {
            return default;
        }

        bool commands = count > 5 && (Is(segments[5], "commands") || Is(segments[5], "command"));
        return count switch
        {
            4 => new RouteMatch(Route.Devices),
            6 when commands => new RouteMatch(Route.Commands, deviceId),
            7 when commands => new RouteMatch(Route.Command, deviceId, commandId),
            8 when commands && Is(segments[7], "responsePayload") => new RouteMatch(Route.ResponsePayload, deviceId, commandId),
            _ => default,
        };
    }

    /// <summary>The one method a route allows.</summary>
    public static string AllowedMethod(Route route) => route == Route.Commands ? HttpMethods.Post : HttpMethods.Get;

    private static bool Is(string segment, string literal) => string.Equals(segment, literal, StringComparison.OrdinalIgnoreCase);
}
