using System.Net;
using System.Text.Json;
using DeviceCommands.Emulator.Commands;
using DeviceCommands.Emulator.State;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Admin;

/// <summary>
/// The admin API under <c>/_emulator</c>, on the same listener as the service (and through the in-memory handler): the
/// library's <see cref="DeviceCommandsEmulator.Devices"/>, <see cref="DeviceCommandsEmulator.Script"/>,
/// <see cref="DeviceCommandsEmulator.GetRequests"/> and <see cref="DeviceCommandsEmulator.Reset"/> for a test that
/// drives the emulator program from outside. JSON in and out (camelCase, nulls written), OData errors; see
/// the program's <c>--help</c> for the list.
/// </summary>
internal sealed class AdminEndpoints(EmulatorState state, Func<Uri> baseUrl) : IAdminApi
{
    public async Task HandleAsync(HttpContext context, string[] path)
    {
        byte[] body = [];
        if (RequestParsing.HasBody(context))
        {
            (byte[]? read, BodyProblem problem) = await RequestParsing.ReadBodyAsync(context, state.Options.MaxRequestBodyBytes, state.Options.RequestBodyTimeout).ConfigureAwait(false);
            if (problem != BodyProblem.None)
            {
                await HttpAnswers.BodyProblemAsync(context, problem, state.Options.MaxRequestBodyBytes, state.Options.RequestBodyTimeout).ConfigureAwait(false);
                return;
            }

            body = read!;
        }

        string method = context.Request.Method;
        try
        {
            Task? answer = path switch
            {
                [] => On(method, "GET", () => JsonAsync(context, 200, AdminJson.Summary(state, baseUrl()))),
                [var a] when Is(a, "devices") => On(method, "GET, POST", () => HttpMethods.IsGet(method)
                    ? JsonAsync(context, 200, AdminJson.DevicesJson(state))
                    : AddDeviceAsync(context, body)),
                [var a, var id] when Is(a, "devices") => On(method, "GET, PATCH, DELETE", () => method.ToUpperInvariant() switch
                {
                    "GET" => JsonAsync(context, 200, AdminJson.DeviceJson(state.Devices[id])),
                    "PATCH" => JsonAsync(context, 200, AdminJson.DeviceJson(state.Devices.Update(id, device => AdminBodies.ReadDevice(body, device)))),
                    _ => state.Devices.Remove(id) ? Empty(context) : throw new KeyNotFoundException($"The emulator has no device '{id}'."),
                }),
                [var a] when Is(a, "commands") => On(method, "GET", () => JsonAsync(context, 200, AdminJson.CommandsJson(state))),
                [var a, var id, var b] when Is(a, "commands") && Is(b, "outcome") => On(method, "PUT", () =>
                {
                    using JsonDocument document = AdminBodies.ReadObject(body);
                    state.Script.SetOutcome(id, AdminBodies.RequiredString(document.RootElement, "status"), AdminBodies.OptionalString(document.RootElement, "error"));
                    return Empty(context);
                }),
                [var a] when Is(a, "script") => On(method, "DELETE", () =>
                {
                    state.Script.Clear();
                    return Empty(context);
                }),
                [var a, var b] when Is(a, "script") && Is(b, "gets") => On(method, "POST", () => ScriptAsync(context, body, gets: true)),
                [var a, var b] when Is(a, "script") && Is(b, "posts") => On(method, "POST", () => ScriptAsync(context, body, gets: false)),
                [var a] when Is(a, "requests") => On(method, "GET, DELETE", () =>
                {
                    if (HttpMethods.IsGet(method))
                    {
                        return JsonAsync(context, 200, AdminJson.RequestsJson(state));
                    }

                    state.Requests.Clear();
                    return Empty(context);
                }),
                [var a] when Is(a, "reset") => On(method, "POST", () =>
                {
                    state.Reset();
                    return Empty(context);
                }),
                _ => null,
            };

            if (answer is null)
            {
                string allowed = AllowedFor(path);
                if (allowed.Length == 0)
                {
                    await HttpAnswers.ErrorAsync(context, 404, "ResourceNotFound", "No admin resource at this path; see --help for the /_emulator API.").ConfigureAwait(false);
                    return;
                }

                context.Response.Headers.Allow = allowed;
                await HttpAnswers.ErrorAsync(context, 405, "MethodNotAllowed", $"This admin resource allows only {allowed}.").ConfigureAwait(false);
                return;
            }

            await answer.ConfigureAwait(false);
        }
        catch (KeyNotFoundException exception)
        {
            await HttpAnswers.ErrorAsync(context, 404, "ResourceNotFound", exception.Message).ConfigureAwait(false);
        }
        catch (ConflictException exception)
        {
            await HttpAnswers.ErrorAsync(context, 409, "Conflict", exception.Message).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            await HttpAnswers.ErrorAsync(context, 400, "BadRequest", exception.Message).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="answer"/> when the method is one of <paramref name="allowed"/>; null otherwise (405).</summary>
    private static Task? On(string method, string allowed, Func<Task> answer) =>
        allowed.Split(", ").Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) ? answer() : null;

    private static string AllowedFor(string[] path) => path switch
    {
        [] => "GET",
        [var a] when Is(a, "devices") => "GET, POST",
        [var a, _] when Is(a, "devices") => "GET, PATCH, DELETE",
        [var a] when Is(a, "commands") => "GET",
        [var a, _, var b] when Is(a, "commands") && Is(b, "outcome") => "PUT",
        [var a] when Is(a, "script") => "DELETE",
        [var a, var b] when Is(a, "script") && (Is(b, "gets") || Is(b, "posts")) => "POST",
        [var a] when Is(a, "requests") => "GET, DELETE",
        [var a] when Is(a, "reset") => "POST",
        _ => string.Empty,
    };

    private static bool Is(string segment, string literal) => string.Equals(segment, literal, StringComparison.OrdinalIgnoreCase);

    private Task AddDeviceAsync(HttpContext context, byte[] body)
    {
        EmulatedDevice device = AdminBodies.ReadDevice(body, null);
        if (state.Devices.TryGet(device.Id, out _))
        {
            throw new ConflictException($"The emulator already has a device '{device.Id}'.");
        }

        state.Devices.Add(device);
        return JsonAsync(context, 201, AdminJson.DeviceJson(device));
    }

    private Task ScriptAsync(HttpContext context, byte[] body, bool gets)
    {
        using JsonDocument document = AdminBodies.ReadObject(body);
        JsonElement root = document.RootElement;
        int count = AdminBodies.OptionalInt(root, "count") ?? 1;
        int statusCode = AdminBodies.OptionalInt(root, "statusCode") ?? throw new ArgumentException("'statusCode' is required: the HTTP status to answer, 400 to 599.");
        TimeSpan? retryAfter = RequestParsing.Get(root, "retryAfter") is { ValueKind: JsonValueKind.Number } seconds && seconds.TryGetDouble(out double value) && value is >= 0 and <= 86_400
            ? TimeSpan.FromSeconds(value)
            : RequestParsing.Get(root, "retryAfter") is null or { ValueKind: JsonValueKind.Null } ? null
            : throw new ArgumentException("'retryAfter' must be a number of seconds, 0 to 86400.");
        try
        {
            if (gets)
            {
                state.Script.NextGets(AdminBodies.RequiredString(root, "commandId"), count, (HttpStatusCode)statusCode, retryAfter);
            }
            else
            {
                state.Script.NextPosts(count, (HttpStatusCode)statusCode, retryAfter);
            }
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new ArgumentException($"'{exception.ParamName}' is out of range: {exception.Message.Split(Environment.NewLine)[0]}", exception);
        }

        return Empty(context);
    }

    private static Task JsonAsync(HttpContext context, int statusCode, byte[] body) => HttpAnswers.JsonAsync(context, statusCode, body);

    private static Task Empty(HttpContext context)
    {
        HttpAnswers.Empty(context, StatusCodes.Status204NoContent);
        return Task.CompletedTask;
    }

    private sealed class ConflictException(string message) : Exception(message);
}
