using System.Diagnostics;
using DeviceCommands.Client.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The outermost handler: one span (<see cref="ClientDiagnostics.ActivitySource"/>) and one log entry per request,
/// with its method, path, status and duration: at Debug when it succeeded, at Warning when it failed for good (an error
/// answer after the retries, or no answer at all; the caller's own cancellation is not logged). Never logs a header, a query string or a body. It also gives each
/// logical request a Graph <c>client-request-id</c> (kept across its retries), so the service, or an emulator, can
/// tell a retry from a second request.
/// </summary>
internal sealed class DiagnosticsHandler(ILogger logger, TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>Graph's header for a caller-chosen request id.</summary>
    public const string ClientRequestIdHeader = "client-request-id";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(ClientRequestIdHeader))
        {
            request.Headers.TryAddWithoutValidation(ClientRequestIdHeader, NewRequestId());
        }

        // with no listener and no logger, nothing is timed or recorded
        return ClientDiagnostics.ActivitySource.HasListeners() || logger.IsEnabled(LogLevel.Warning)
            ? SendObservedAsync(request, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        using var activity = ClientDiagnostics.ActivitySource.HasListeners()
            ? ClientDiagnostics.ActivitySource.StartActivity($"{method} {PathTemplate(path)}", ActivityKind.Client)
            : null;
        if (activity is not null)
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("server.address", request.RequestUri?.Host);
            activity.SetTag("server.port", request.RequestUri?.Port);
            activity.SetTag("url.path", path);
        }

        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", status);
            var elapsed = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    Log.RequestCompleted(logger, method, path, status, elapsed);
                }
            }
            else
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    Log.RequestAnsweredWithError(logger, method, path, status, elapsed);
                }
            }

            return response;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            activity?.SetTag("error.type", e.GetType().FullName);
            if (logger.IsEnabled(LogLevel.Warning) && !cancellationToken.IsCancellationRequested)
            {
                Log.RequestFailed(logger, method, path, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds, Describe(e));
            }

            throw;
        }
    }

    /// <summary>
    /// A new request id: a version-4 GUID from the shared non-cryptographic generator. It only has to be unique enough
    /// to tell requests apart in the service's logs; <see cref="Guid.NewGuid"/> asks the OS for secure random bytes,
    /// which costs several times more per request.
    /// </summary>
    internal static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout: the high byte of the third group)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }

    /// <summary>The path with ids replaced, for a span name of low cardinality.</summary>
    private static string PathTemplate(string path)
    {
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i - 1] is "devices" or "commands" && segments[i].Length > 0)
            {
                segments[i] = "{id}";
            }
        }

        return string.Join('/', segments);
    }

    internal static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "the call was cancelled",
        TimeoutException => "it timed out",
        HttpRequestException h => $"network failure ({h.HttpRequestError})",
        _ => e.GetType().Name,
    };
}
