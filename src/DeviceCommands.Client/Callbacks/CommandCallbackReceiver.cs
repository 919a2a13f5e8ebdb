namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// Receives the service's postbacks (a command's <c>postBackUri</c>) for the waits of this process. A callback only
/// makes its wait poll at once, and the GET's answer decides; a key no wait holds is refused. Thread-safe; one serves a
/// whole process.
/// </summary>
/// <remarks>
/// Serve it with <c>MapDeviceCommandCallbacks</c> (package <c>DeviceCommands.Client.AspNetCore</c>), or in tests with
/// <see cref="CreateHandler"/>. Keys and coalescing: docs/waiting.md ("Callbacks").
/// </remarks>
public sealed class CommandCallbackReceiver
{
    /// <summary>The largest callback body read: 64 KiB (the service's status resource is a few hundred bytes).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly CallbackTable _waits = new();
    private readonly string _base;

    /// <summary>Creates a receiver for callbacks under <paramref name="callbackBaseUrl"/>.</summary>
    /// <param name="callbackBaseUrl">An absolute http(s) URL that the service can reach, without query or fragment; each wait's postBackUri is <c>{callbackBaseUrl}/{key}</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="callbackBaseUrl"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="callbackBaseUrl"/> is relative, not http(s), or has a query, a fragment or user info.</exception>
    public CommandCallbackReceiver(Uri callbackBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(callbackBaseUrl);
        if (!callbackBaseUrl.IsAbsoluteUri || (callbackBaseUrl.Scheme != Uri.UriSchemeHttp && callbackBaseUrl.Scheme != Uri.UriSchemeHttps)
            || callbackBaseUrl.Query.Length > 0 || callbackBaseUrl.Fragment.Length > 0 || callbackBaseUrl.UserInfo.Length > 0)
        {
            var shown = !callbackBaseUrl.IsAbsoluteUri ? callbackBaseUrl.OriginalString
                : callbackBaseUrl.UserInfo.Length == 0 ? callbackBaseUrl.AbsoluteUri
                : callbackBaseUrl.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped) + " (its user info not shown)";
            throw new ArgumentException($"The callback base URL must be an absolute http or https URL without query, fragment or user info; it is {shown}.", nameof(callbackBaseUrl));
        }

        _base = callbackBaseUrl.AbsoluteUri.TrimEnd('/');
        CallbackBaseUrl = new Uri(_base);
    }

    /// <summary>The URL under which each wait's key is one more path segment.</summary>
    public Uri CallbackBaseUrl { get; }

    /// <summary>The waits that hold a key now.</summary>
    public int ActiveWaits => _waits.Count;

    /// <summary>A fresh key (22 URL-safe characters, 128 random bits), for an engine that serves its own callbacks.</summary>
    /// <returns>The key.</returns>
    public static string NewKey() => CallbackKey.New();

    /// <summary>
    /// What an endpoint calls with the key (the last path segment) and the body it read (a hint, never the truth). The
    /// wait that holds the key polls at once, unless the body reads as a non-terminal status of its command (any body
    /// does for a wait with terminal tests of its own). None of the wait's code, its tests included, runs here.
    /// </summary>
    /// <param name="key">The key from the URL.</param>
    /// <param name="body">The body, at most <see cref="MaxBodyBytes"/> bytes.</param>
    /// <returns><see cref="CallbackReceipt.Accepted"/>, <see cref="CallbackReceipt.UnknownKey"/>, or <see cref="CallbackReceipt.Refused"/> for a malformed key or a body that is too long.</returns>
    public CallbackReceipt Receive(string key, ReadOnlySpan<byte> body)
    {
        if (key is null || !CallbackKey.IsWellFormed(key) || body.Length > MaxBodyBytes)
        {
            return CallbackReceipt.Refused;
        }

        return _waits.Hint(key, body) ? CallbackReceipt.Accepted : CallbackReceipt.UnknownKey;
    }

    /// <summary>
    /// An in-memory endpoint: answers <c>POST {CallbackBaseUrl}/{key}</c> as the mapped endpoint does (202, 404, 400,
    /// 413, and 405 for another method), with no socket. Give it to the emulator's <c>PostBackHandler</c> in tests.
    /// </summary>
    /// <returns>A new handler; disposing it does not affect the receiver.</returns>
    public HttpMessageHandler CreateHandler() => new CallbackHandler(this);

    /// <summary>The key in <paramref name="url"/> when it is under the base URL (one more segment), else null.</summary>
    internal string? KeyOf(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            return null;
        }

        var text = url.GetLeftPart(UriPartial.Path);
        return text.Length > _base.Length + 1 && text.StartsWith(_base, StringComparison.OrdinalIgnoreCase) && text[_base.Length] == '/'
            ? text[(_base.Length + 1)..] : null;
    }

    /// <summary>The postBackUri of a key.</summary>
    internal Uri PostBackUriFor(string key) => new($"{_base}/{key}");

    /// <summary>
    /// Registers a wait under a fresh key, or under <paramref name="key"/> (a resumed wait's), beside any other wait
    /// that holds it: a checkpoint resumed twice at once makes two independent waits, and a callback wakes both.
    /// </summary>
    internal CallbackWake Register(TimeProvider clock, bool ownTerminalTests, string? key = null)
    {
        if (key is not null)
        {
            var resumed = new CallbackWake(this, key, clock, ownTerminalTests);
            _waits.Add(resumed);
            return resumed;
        }

        while (true)
        {
            var wait = new CallbackWake(this, CallbackKey.New(), clock, ownTerminalTests);
            if (_waits.TryAddNew(wait))
            {
                return wait;
            }
        }
    }

    /// <summary>Forgets a wait (its key too, once no other wait holds it).</summary>
    internal void Unregister(CallbackWake wait) => _waits.Remove(wait);
}
