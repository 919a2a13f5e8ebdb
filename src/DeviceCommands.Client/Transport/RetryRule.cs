using DeviceCommands.Client.Http;
using DeviceCommands.Client.Timing;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The retry rule of one request: the client's options, or a Kiota <see cref="RetryHandlerOption"/> the caller put on
/// the request, honoured as Kiota's RetryHandler honours it: <see cref="RetryHandlerOption.MaxRetry"/> retries (0 turns
/// retries off), <see cref="RetryHandlerOption.Delay"/> seconds as the backoff's base, <see cref="RetryHandlerOption.ShouldRetry"/>
/// deciding which answers are sent again, <see cref="RetryHandlerOption.RetriesTimeLimit"/> bounding the delays slept.
/// Within the client's one rule: a request other than a GET or HEAD is sent again only after its own 429, whatever
/// <c>ShouldRetry</c> says; a network failure or an attempt timeout is retried for a GET or HEAD only, as without the option.
/// </summary>
internal readonly record struct RetryRule(int MaxRetries, TimeSpan BaseDelay, RetryHandlerOption? Option)
{
    /// <summary>The rule of <paramref name="request"/>: its <see cref="RetryHandlerOption"/>, else the client's settings.</summary>
    public static RetryRule For(HttpRequestMessage request, ResilienceSettings settings) =>
        ClientRequestMessage.OptionOf<RetryHandlerOption>(request) is { } option
            ? new(Math.Max(option.MaxRetry, 0), TimeSpan.FromSeconds(Math.Max(option.Delay, 0)), option)
            : new(settings.MaxRetries, settings.RetryDelay, null);

    /// <summary>Whether the answer to attempt <paramref name="attempt"/> (0 for the first) may be sent again.</summary>
    public bool MaySendAgain(HttpMethod method, HttpResponseMessage response, int attempt)
    {
        var status = (int)response.StatusCode;
        if (Option?.ShouldRetry is not { } shouldRetry)
        {
            return Transient.MaySendAgain(method, status);
        }

        return (Transient.IsIdempotent(method) || status == 429) && shouldRetry(Option.Delay, attempt, response);
    }

    /// <summary>Whether sleeping <paramref name="delay"/> more keeps the delays slept within the option's <see cref="RetryHandlerOption.RetriesTimeLimit"/> (none without one).</summary>
    public bool AllowsDelay(TimeSpan slept, TimeSpan delay) =>
        Option is not { RetriesTimeLimit: var limit } || limit <= TimeSpan.Zero || slept + delay <= limit;
}
