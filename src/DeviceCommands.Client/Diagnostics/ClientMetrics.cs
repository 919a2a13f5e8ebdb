using System.Diagnostics;
using System.Diagnostics.Metrics;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Timing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Diagnostics;

/// <summary>
/// The package's metrics, on the <see cref="Meter"/> named <c>DeviceCommands.Client</c>, named after OpenTelemetry's
/// rules: the duration of each call of a builder (its retries included) by operation and outcome, the retries, and the
/// waits (duration, polls, outcome). HTTP-level metrics are <c>System.Net.Http</c>'s own (they are not counted twice).
/// Nothing is recorded while nobody listens.
/// </summary>
internal static class ClientMetrics
{
    /// <summary>The name of the meter: <c>DeviceCommands.Client</c>.</summary>
    public const string MeterName = "DeviceCommands.Client";

    /// <summary>The meter, versioned like the spans and the <c>User-Agent</c> (<see cref="PackageVersion"/>).</summary>
    public static readonly Meter Meter = new(MeterName, PackageVersion.Value);

    /// <summary>
    /// The bucket boundaries advised for <see cref="OperationDuration"/>, in seconds: System.Net.Http's own for
    /// <c>http.client.request.duration</c>, so the two line up (OpenTelemetry's defaults are meant for milliseconds).
    /// </summary>
    public static readonly IReadOnlyList<double> OperationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>
    /// The bucket boundaries advised for <see cref="WaitDuration"/>, in seconds: from a command answered at once to an
    /// hour, since a command lives seconds to minutes and a wait's default timeout is 10 minutes.
    /// </summary>
    public static readonly IReadOnlyList<double> WaitBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>The duration of one call of a builder, from the request to the model or the error, retries included.</summary>
    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "devicecommands.client.operation.duration", "s", "The duration of one call of the client (its retries included), by operation and outcome.",
        tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = OperationBuckets });

    /// <summary>Each time the retry layer sends a request again (made on first use, see <see cref="LongInstruments"/>).</summary>
    public static Counter<long> Retries => LongInstruments.Retries;

    /// <summary>The duration of one wait for a command.</summary>
    public static readonly Histogram<double> WaitDuration = Meter.CreateHistogram(
        "devicecommands.client.wait.duration", "s", "The duration of one wait for a command to end, by outcome.",
        tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });

    /// <summary>The polls (GETs) of one wait (made on first use, see <see cref="LongInstruments"/>).</summary>
    public static Histogram<long> WaitPolls => LongInstruments.WaitPolls;

    /// <summary>The operation a request of the builders is, from its template and method: a small, fixed set of values.</summary>
    public static string OperationOf(RequestInformation request) => (request.HttpMethod, request.UrlTemplate) switch
    {
        (Method.GET, "{+baseurl}/me/devices") => "list_devices",
        (Method.POST, "{+baseurl}/me/devices/{device%2Did}/commands") => "send_command",
        (Method.GET, "{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}") => "get_command",
        (Method.GET, "{+baseurl}/me/devices/{device%2Did}/commands/{command%2Did}/responsePayload") => "get_response_payload",
        _ => "other",
    };

    /// <summary>Records one call of a builder: <paramref name="failure"/> is null when it succeeded.</summary>
    public static void RecordOperation(string operation, TimeSpan elapsed, Exception? failure, bool cancelled)
    {
        var tags = new TagList { { "devicecommands.operation", operation } };
        switch (failure)
        {
            case null:
                tags.Add("devicecommands.outcome", "success");
                break;
            case ApiException { ResponseStatusCode: > 0 } answered when answered is ODataError:
                tags.Add("devicecommands.outcome", "http_error");
                tags.Add("http.response.status_code", answered.ResponseStatusCode);
                tags.Add("error.type", answered.ResponseStatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case OperationCanceledException when cancelled:
                tags.Add("devicecommands.outcome", "cancelled");
                tags.Add("error.type", failure.GetType().FullName);
                break;
            default:
                tags.Add("devicecommands.outcome", Transient.IsFailure(failure) ? "transport_error" : "invalid_response");
                tags.Add("error.type", (failure.InnerException ?? failure).GetType().FullName);
                break;
        }

        OperationDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Records one retry: the method, and why (the status, or the exception's type).</summary>
    public static void RecordRetry(HttpMethod method, string reason) =>
        Retries.Add(1, new TagList { { "http.request.method", method.Method }, { "devicecommands.retry.reason", reason } });

    /// <summary>Records one wait: <c>completed</c>, <c>failed</c> (a terminal status that is not success), <c>timed_out</c>, <c>cancelled</c> or <c>error</c>.</summary>
    public static void RecordWait(string outcome, TimeSpan elapsed, int polls)
    {
        var tags = new TagList { { "devicecommands.wait.outcome", outcome } };
        WaitDuration.Record(elapsed.TotalSeconds, tags);
        WaitPolls.Record(polls, tags);
    }

    /// <summary>
    /// The instruments over <see cref="long"/>, made on their first use (a retry, a wait), not by a plain read: generic
    /// code over a value type is compiled for each, and a first status read would JIT a dozen methods it never calls.
    /// A listener sees each as it is made, before its first measurement, so what it records is the same.
    /// </summary>
    private static class LongInstruments
    {
        public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
            "devicecommands.client.retries", "{retry}", "Requests the client sent again after a passing failure.");

        public static readonly Histogram<long> WaitPolls = Meter.CreateHistogram<long>(
            "devicecommands.client.wait.polls", "{poll}", "The GET requests one wait for a command made, by outcome.");
    }
}
