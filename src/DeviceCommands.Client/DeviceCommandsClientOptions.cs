using Microsoft.Extensions.Logging;
using DeviceCommands.Client.Timing;
using Polly;

namespace DeviceCommands.Client;

/// <summary>
/// Settings of a client made by <see cref="DeviceCommandsClient.Create"/>. Every property has a working default,
/// so <c>new DeviceCommandsClientOptions()</c> talks to the real service.
/// </summary>
public sealed class DeviceCommandsClientOptions
{
    /// <summary>The service's base URL. Default <c>https://graph.microsoft.com/beta</c>; an emulator's <c>BaseUrl</c> for tests.</summary>
    /// <remarks>
    /// The bearer token is sent only to this URL's host, and only over https (http only to a loopback host). An absolute
    /// http(s) URL without query or fragment; another is refused with an <see cref="ArgumentException"/> by
    /// <c>Create</c>, and with an <c>OptionsValidationException</c> at a host's start.
    /// </remarks>
    public Uri BaseUrl { get; set; } = new(DeviceCommandsClient.DefaultBaseUrl);

    /// <summary>
    /// The innermost transport. Default null: one <see cref="SocketsHttpHandler"/> shared by every client of the process
    /// that has none of its own (pooled connections, renewed every 5 minutes so DNS changes are seen).
    /// </summary>
    /// <remarks>A handler given here is never disposed by the client. Automatic redirects on it should be off; the client follows redirects itself, safely.</remarks>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>How many times a failed request is retried. Default 3, so at most 4 attempts of one request; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = TimingDefaults.MaxRetries;

    /// <summary>The base of the jittered exponential backoff between retries when the service sends no <c>Retry-After</c>. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimingDefaults.RetryDelay;

    /// <summary>
    /// Makes the retries' backoff jitter a pure function of this seed and the retry's number, so a test sees the same
    /// delays on every run (as <c>CommandWaitOptions.JitterSeed</c> does for a wait's polls). Default null: a random draw per retry.
    /// </summary>
    public int? RetryJitterSeed { get; set; }

    /// <summary>The clock of retries, timeouts and waits. Default <see cref="TimeProvider.System"/>; a <c>FakeTimeProvider</c> in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The scopes asked of the credential. Default null: <c>Device.Read</c> and <c>Device.Command</c> on the base
    /// URL's host (<c>https://graph.microsoft.com/Device.Read</c>, <c>https://graph.microsoft.com/Device.Command</c>),
    /// which is what the service's delegated, personal-account sign-in grants.
    /// </summary>
    public IList<string>? Scopes { get; set; }

    /// <summary>The largest response body read, in bytes; a larger one is refused without being held whole. Default 4 MiB.</summary>
    public long MaxResponseContentBytes { get; set; } = Requests.ClientContext.DefaultMaxResponseBytes;

    /// <summary>
    /// The time one attempt of a request may take before it is abandoned (and, for a GET, retried). Default 30 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off. Distinct from the caller's cancellation token, which always
    /// surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimingDefaults.AttemptTimeout;

    /// <summary>
    /// The longest <c>Retry-After</c> the client sleeps through before a retry. Default 60 s: a longer one ends the
    /// retries at once with the service's error, rather than holding the caller for an unbounded time.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimingDefaults.MaxRetryAfter;

    /// <summary>Where the client logs each request, each retry and each status change of a wait. Default null: no logging.</summary>
    /// <remarks>Nothing logged contains a token; request and response bodies are never logged.</remarks>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Adds your own Polly strategies (a circuit breaker, a rate limiter, Polly's chaos strategies for tests) to the
    /// client's pipeline. They run inside the client's retry, around each attempt (and outside its attempt timeout),
    /// so the client's retries and timeouts are kept. Default null.
    /// </summary>
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>>? ConfigureResilience
    {
        get => (Action<ResiliencePipelineBuilder<HttpResponseMessage>>?)ConfiguredStrategies;
        set => ConfiguredStrategies = value;
    }

    /// <summary>
    /// <see cref="ConfigureResilience"/> as a plain <see cref="Delegate"/>: what the client reads, so that a client
    /// without strategies compiles no method that names a Polly type, and never loads Polly.Core.
    /// </summary>
    internal Delegate? ConfiguredStrategies { get; private set; }

    /// <summary>
    /// Text appended to the <c>User-Agent</c> (after <c>DeviceCommands.Client/{version}</c>), for example your app's name
    /// and version. Default null. It must be a valid product list in visible ASCII (<c>MyApp/2.0 (contoso)</c>); another
    /// is refused with the other settings that cannot work (an <see cref="ArgumentException"/> from <c>Create</c>, a
    /// failed validation when a host starts).
    /// </summary>
    public string? UserAgentSuffix { get; set; }

    /// <summary>
    /// The receiver of postbacks that this client's <c>SendAndWaitAsync</c> waits use when their
    /// <see cref="CommandWaitOptions.Callbacks"/> names none. Default <see langword="null"/>: polling only. The client
    /// registered in a host (<c>AddDeviceCommandsClient</c>) takes the <see cref="Callbacks.CommandCallbackReceiver"/>
    /// registered there, if any.
    /// </summary>
    public Callbacks.CommandCallbackReceiver? Callbacks { get; set; }

    internal DeviceCommandsClientOptions Clone() => (DeviceCommandsClientOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> when a credential is given for a base URL that a token must never go to.</summary>
    internal void ValidateFor(Azure.Core.TokenCredential? credential)
    {
        Validate();
        if (credential is not null && !Transport.TokenRule.MayCarryToken(BaseUrl, BaseUrl))
        {
            throw new ArgumentException("A bearer token is only ever sent over https, or over plain http to a loopback host; BaseUrl is plain http to another host.", nameof(BaseUrl));
        }
    }

    internal string[] EffectiveScopes() => Scopes is { Count: > 0 } scopes
        ? [.. scopes]
        : [$"{BaseUrl.Scheme}://{BaseUrl.Authority}/Device.Read", $"{BaseUrl.Scheme}://{BaseUrl.Authority}/Device.Command"];

    /// <summary>Throws <see cref="ArgumentException"/> for the first setting that cannot work.</summary>
    internal void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].Message, problems[0].Key);
        }
    }

    /// <summary>Every setting that cannot work: its name and why (none when all can).</summary>
    /// <remarks>
    /// A list of a class, filled in order, rather than an iterator of tuples: every client's creation runs this, and an
    /// iterator (or a list of a value type) is several more methods for the runtime to compile first.
    /// </remarks>
    internal List<OptionsProblem> Problems()
    {
        var problems = new List<OptionsProblem>();
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add(new(nameof(BaseUrl), "BaseUrl must be an absolute http or https URL."));
        }
        else if (BaseUrl.Query.Length > 0 || BaseUrl.Fragment.Length > 0)
        {
            // each request's path and query are added after the base URL's path: a query or fragment there would swallow them
            problems.Add(new(nameof(BaseUrl), "BaseUrl must not have a query or a fragment (each request adds its own path and query), such as https://graph.microsoft.com/beta."));
        }

        if (MaxRetries < 0)
        {
            problems.Add(new(nameof(MaxRetries), "MaxRetries must not be negative."));
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            problems.Add(new(nameof(RetryDelay), "RetryDelay must not be negative."));
        }

        if (TimeProvider is null)
        {
            problems.Add(new(nameof(TimeProvider), "TimeProvider must not be null."));
        }

        if (AttemptTimeout <= TimeSpan.Zero && AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add(new(nameof(AttemptTimeout), "AttemptTimeout must be positive, or Timeout.InfiniteTimeSpan."));
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            problems.Add(new(nameof(MaxRetryAfter), "MaxRetryAfter must not be negative."));
        }

        if (MaxResponseContentBytes is <= 0 or > int.MaxValue)
        {
            problems.Add(new(nameof(MaxResponseContentBytes), "MaxResponseContentBytes must be between 1 and 2^31 - 1."));
        }

        if (!string.IsNullOrWhiteSpace(UserAgentSuffix) && !IsProductList(UserAgentSuffix))
        {
            problems.Add(new(nameof(UserAgentSuffix), "UserAgentSuffix must be a User-Agent product list in visible ASCII, such as MyApp/2.0."));
        }

        return problems;
    }

    /// <summary>Whether a User-Agent suffix can be sent as it is: visible ASCII and spaces only, and a valid product list.</summary>
    private static bool IsProductList(string suffix)
    {
        foreach (var c in suffix)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        using var probe = new HttpRequestMessage();
        return probe.Headers.UserAgent.TryParseAdd(suffix.Trim());
    }
}

/// <summary>A setting of <see cref="DeviceCommandsClientOptions"/> that cannot work: its name and why.</summary>
internal sealed record OptionsProblem(string Key, string Message);
