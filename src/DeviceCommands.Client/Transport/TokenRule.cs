namespace DeviceCommands.Client.Transport;

/// <summary>
/// The one rule for where the bearer token may go, used wherever the client decides it: by <c>DeviceCommandsClient.Create</c>
/// (which refuses a credential for a base URL the rule refuses), by the token provider (which asks for a token only
/// for such a request), by the redirect handler and by the last handler before the network.
/// </summary>
internal static class TokenRule
{
    /// <summary>
    /// Whether a request to <paramref name="target"/> may carry the token of a client for <paramref name="baseUrl"/>:
    /// the same host and port, over https, or over plain http when the base URL is plain http to a loopback host
    /// (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>).
    /// </summary>
    public static bool MayCarryToken(Uri baseUrl, Uri? target) =>
        target is { IsAbsoluteUri: true }
        && string.Equals(target.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase)
        && target.Port == baseUrl.Port
        && (target.Scheme == Uri.UriSchemeHttps
            || (target.Scheme == Uri.UriSchemeHttp && baseUrl.Scheme == Uri.UriSchemeHttp && target.IsLoopback));

}
