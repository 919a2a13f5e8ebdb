using System.Text;
using Microsoft.Extensions.Logging;
using DeviceCommands.Emulator.Commands;
using DeviceCommands.Emulator.Faults;
using DeviceCommands.Emulator.State;
using DeviceCommands.Emulator.Wire;
using Route = DeviceCommands.Emulator.Wire.Route;

namespace DeviceCommands.Emulator.Http;

/// <summary>
/// The one way into an emulator, over Kestrel and in memory alike: routing on the raw target, then for the service's
/// paths: counting, reading the body (bounded in size and time), injected latency, scripted answers, injected faults,
/// the bearer check, the method check and the endpoint; every request recorded. Requests under <c>/_emulator</c> go to
/// the admin API (not counted, recorded, faulted or token-checked). Nothing a client sends makes it answer 500: a
/// malformed request is a 4xx, a client that goes away gets no answer.
/// </summary>
internal sealed class RequestPipeline
{
    private static readonly Action<ILogger, string, string, Exception?> LogUnexpected = LoggerMessage.Define<string, string>(
        LogLevel.Error, new EventId(1, "UnexpectedFailure"), "The emulator failed to answer {Method} {Target}; it answered 500.");

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();

    private readonly EmulatorState _state;
    private readonly ServiceEndpoints _service;
    private readonly IAdminApi _admin;

    /// <summary>A pipeline over an emulator's state; requests under <c>/_emulator</c> go to <paramref name="admin"/>.</summary>
    public RequestPipeline(EmulatorState state, IAdminApi admin)
    {
        _state = state;
        _service = new ServiceEndpoints(state);
        _admin = admin;
    }

    private EmulatorOptions Options => _state.Options;

    /// <summary>Answers one request. Never throws: a failure is an answer, or an aborted request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="work">The request's mark on a virtual clock, paused while it waits out injected latency.</param>
    public async Task HandleAsync(HttpContext context, ClockWork work)
    {
        using CancellationTokenRegistration stop = _state.Stopping.UnsafeRegister(static c => ((HttpContext)c!).Abort(), context);
        if (context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
            return;
        }

        string target = Routing.RawTarget(context);
        RouteMatch match = Routing.Match(target);
        if (match.Route == Route.Admin)
        {
            await GuardAsync(context, target, () => _admin.HandleAsync(context, match.AdminPath!)).ConfigureAwait(false);
            return;
        }

        _state.Store.CountRequest();
        DateTimeOffset receivedAt = _state.Time.GetUtcNow();
        IReadOnlyDictionary<string, string> headers = _state.Requests.Enabled ? RequestLog.Headers(context.Request.Headers) : EmptyHeaders;
        string method = context.Request.Method;
        byte[]? body = null;
        bool answered = false;
        try
        {
            answered = await GuardAsync(context, target, async () => body = await ServeAsync(context, match, work).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            if (_state.Requests.Enabled)
            {
                string text = body is null ? string.Empty : Encoding.UTF8.GetString(body);
                _state.Requests.Add(new RecordedRequest(method, target, headers, text, receivedAt, answered ? context.Response.StatusCode : null));
            }
        }
    }

    /// <summary>Runs a handler and turns whatever it throws into an answer or an abort; true when an answer was given.</summary>
    private async Task<bool> GuardAsync(HttpContext context, string target, Func<Task> serve)
    {
        try
        {
            await serve().ConfigureAwait(false);
            return !context.RequestAborted.IsCancellationRequested;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away, or the emulator is stopping: no answer
            context.Abort();
            return false;
        }
        catch (IOException exception) when (!context.Response.HasStarted)
        {
            // the body could not be read: Kestrel refused its framing (a broken chunk, a body cut short) or size
            int status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            context.Response.Headers.Connection = "close";
            return await TryAnswerAsync(context, status, "The request body could not be read: " + exception.Message).ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            // a bug of the emulator; no request is meant to get here
            if (_state.Logger is { } logger)
            {
                LogUnexpected(logger, context.Request.Method, target, exception);
            }

            return await TryAnswerAsync(context, StatusCodes.Status500InternalServerError, "The emulator failed: " + exception.Message).ConfigureAwait(false);
        }
        catch (Exception)
        {
            context.Abort();
            return false;
        }
    }

    /// <summary>Writes an error answer; aborts the request when even that fails (the client is gone).</summary>
    private static async Task<bool> TryAnswerAsync(HttpContext context, int statusCode, string message)
    {
        try
        {
            await HttpAnswers.ErrorAsync(context, statusCode, message).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // whatever a dead connection throws, the answer is an abort
        catch (Exception)
#pragma warning restore CA1031
        {
            context.Abort();
            return false;
        }
    }

    /// <summary>Serves a request to the service's paths; returns the body read, for the record.</summary>
    private async Task<byte[]?> ServeAsync(HttpContext context, RouteMatch match, ClockWork work)
    {
        HttpRequest request = context.Request;
        string? clientRequestId = request.Headers["client-request-id"].FirstOrDefault();
        if (clientRequestId is not null && IsVisibleAscii(clientRequestId))
        {
            context.Response.Headers["client-request-id"] = clientRequestId;
        }

        if (match.Route == Route.Commands && HttpMethods.IsPost(request.Method))
        {
            _state.Store.CountPost(clientRequestId);
        }

        byte[]? body = null;
        if (RequestParsing.HasBody(context))
        {
            (body, BodyProblem problem) = await RequestParsing.ReadBodyAsync(context, Options.MaxRequestBodyBytes, Options.RequestBodyTimeout).ConfigureAwait(false);
            if (problem != BodyProblem.None)
            {
                await HttpAnswers.BodyProblemAsync(context, problem, Options.MaxRequestBodyBytes, Options.RequestBodyTimeout).ConfigureAwait(false);
                return null;
            }
        }

        (bool delay, Fault fault) = _state.Faults.Next();
        ScriptedAnswer? scripted = _state.Script.Take(request.Method, match.Route, match.CommandId);
        if (delay)
        {
            await work.DelayAsync(Options.Latency, _state.Time, context.RequestAborted).ConfigureAwait(false);
        }

        if (scripted is not null)
        {
            if (scripted.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = HttpAnswers.WholeSeconds(retryAfter, minimum: 0);
            }

            await HttpAnswers.ErrorAsync(context, scripted.StatusCode, $"A scripted answer of the emulator ({scripted.StatusCode}).").ConfigureAwait(false);
            return body;
        }

        switch (fault)
        {
            case Fault.Throttle:
                context.Response.Headers.RetryAfter = HttpAnswers.WholeSeconds(Options.ThrottleRetryAfter, minimum: 0);
                await HttpAnswers.ErrorAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", "Too many requests (emulated throttling). Retry after the time in Retry-After.").ConfigureAwait(false);
                return body;
            case Fault.Unavailable:
                await HttpAnswers.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable (emulated fault).").ConfigureAwait(false);
                return body;
        }

        if (Options.RequireToken && !HasBearerToken(request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await HttpAnswers.ErrorAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "Access token is empty.").ConfigureAwait(false);
            return body;
        }

        await RouteAsync(context, match, body ?? [], clientRequestId).ConfigureAwait(false);
        return body;
    }

    private async Task RouteAsync(HttpContext context, RouteMatch match, byte[] body, string? clientRequestId)
    {
        if (match.Route == Route.None)
        {
            await HttpAnswers.ErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", "No resource at this path. The emulator serves /beta/me/devices and below.").ConfigureAwait(false);
            return;
        }

        string allowed = Routing.AllowedMethod(match.Route);
        if (!string.Equals(context.Request.Method, allowed, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = allowed;
            await HttpAnswers.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed", $"This resource allows only {allowed}.").ConfigureAwait(false);
            return;
        }

        if (match.Route == Route.Devices)
        {
            await _service.ListDevicesAsync(context).ConfigureAwait(false);
            return;
        }

        if (!_state.Devices.TryGet(match.DeviceId!, out EmulatedDevice? device))
        {
            await HttpAnswers.ErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", $"Device '{match.DeviceId}' was not found.").ConfigureAwait(false);
            return;
        }

        if (match.Route == Route.Commands)
        {
            if (_state.LostAnswers.Next())
            {
                await _state.LostAnswers.ServeAsync(context, () => _service.PostCommandAsync(context, device, body, clientRequestId)).ConfigureAwait(false);
                return;
            }

            await _service.PostCommandAsync(context, device, body, clientRequestId).ConfigureAwait(false);
            return;
        }

        StoredCommand? command = _state.Store.Find(device.Id, match.CommandId!);
        if (command is null)
        {
            await HttpAnswers.ErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", $"Command '{match.CommandId}' was not found on device '{device.Id}'.").ConfigureAwait(false);
            return;
        }

        await (match.Route == Route.Command ? _service.GetCommandAsync(context, command) : _service.GetResponsePayloadAsync(context, command)).ConfigureAwait(false);
    }

    private static bool HasBearerToken(HttpRequest request)
    {
        string? value = request.Headers.Authorization.FirstOrDefault();
        return value is not null
            && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(value.AsSpan("Bearer ".Length).ToString());
    }

    /// <summary>Whether a value can be sent back in a header as it is (Kestrel refuses control and non-ASCII characters).</summary>
    private static bool IsVisibleAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
