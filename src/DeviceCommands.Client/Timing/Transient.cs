using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Timing;

/// <summary>
/// What counts as a passing failure, defined once for the retry layer and the waits alike: the statuses 408, 429, 500,
/// 502, 503 and 504, a network failure (<see cref="HttpRequestException"/>, <see cref="IOException"/>), and an attempt
/// that ran out of time (<see cref="TimeoutException"/>). A request is sent again after one only when that cannot repeat
/// its effect: any request after a 429 (the service did not take it), a GET or HEAD after any of them.
/// </summary>
internal static class Transient
{
    /// <summary>Whether an HTTP status is a passing one: 408, 429, 500, 502, 503, 504.</summary>
    public static bool IsStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>Whether an exception is a passing failure of the network or of an attempt's time (not a body over the size limit).</summary>
    /// <remarks>The <see cref="ApiException"/> a caller gets for such a failure (the failure inside) is one too; an error the service described (a parsable error model) is not.</remarks>
    public static bool IsFailure(Exception exception) => exception switch
    {
        TimeoutException or IOException => true,
        HttpRequestException request => request.HttpRequestError != HttpRequestError.ConfigurationLimitExceeded,
        ApiException { ResponseStatusCode: 0, InnerException: { } inner } api when api is not IParsable => IsFailure(inner),
        _ => false,
    };

    /// <summary>Whether a request may be sent again after this answer.</summary>
    public static bool MaySendAgain(HttpMethod method, int status) => status == 429 || (IsIdempotent(method) && IsStatus(status));

    /// <summary>Whether a request may be sent again after this failure: only a GET or HEAD (the first may have reached the service).</summary>
    public static bool MaySendAgain(HttpMethod method, Exception exception) => IsIdempotent(method) && IsFailure(exception);

    /// <summary>Whether a request may be sent twice without repeating an effect: a GET or HEAD.</summary>
    public static bool IsIdempotent(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;
}
