using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>The readers of the command line's values that are more than a number: a device, a loopback URL.</summary>
internal static class CommandLineValues
{
    /// <summary>
    /// Reads <c>id</c> or <c>id:behavior</c>; an id may hold colons itself, the text after the last one is a behavior only
    /// when it names one.
    /// </summary>
    public static bool TryDevice(string? text, [NotNullWhen(true)] out EmulatedDevice? device)
    {
        device = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int colon = text.LastIndexOf(':');
        DeviceBehavior behavior = DeviceBehavior.Completes;
        string id = colon > 0 && DeviceBehaviorNames.TryParse(text[(colon + 1)..], out behavior) ? text[..colon] : text;
        if (id.Length == 0)
        {
            return false;
        }

        device = new EmulatedDevice(id)
        {
            Name = id,
            Behavior = behavior,
            Status = behavior == DeviceBehavior.Offline ? "Offline" : "Online",
        };
        return true;
    }

    public static bool TryLoopback(string url, [NotNullWhen(true)] out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            error = $"Refusing --urls '{url}': give an http URL of a loopback host and port, such as {CommandLine.DefaultUrl}.";
            return false;
        }

        IPAddress? address = string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) ? ip
            : null;
        if (address is null || !IPAddress.IsLoopback(address))
        {
            error = $"Refusing to listen on '{url}': the emulator binds to loopback only (127.0.0.1, [::1] or localhost), never to a network interface.";
            return false;
        }

        endpoint = new IPEndPoint(address, uri.Port);
        return true;
    }
}
