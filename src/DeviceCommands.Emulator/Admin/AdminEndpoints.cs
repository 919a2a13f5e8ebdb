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
                [] => On(method, "GET", () => JsonAsync(context, 200, Summary())),
                [var a] when Is(a, "devices") => On(method, "GET, POST", () => HttpMethods.IsGet(method)
                    ? JsonAsync(context, 200, DevicesJson())
                    : AddDeviceAsync(context, body)),
                [var a, var id] when Is(a, "devices") => On(method, "GET, PATCH, DELETE", () => method.ToUpperInvariant() switch
                {
                    "GET" => JsonAsync(context, 200, DeviceJson(state.Devices[id])),
                    "PATCH" => JsonAsync(context, 200, DeviceJson(state.Devices.Update(id, device => ReadDevice(body, device)))),
                    _ => state.Devices.Remove(id) ? Empty(context) : throw new KeyNotFoundException($"The emulator has no device '{id}'."),
                }),
                [var a] when Is(a, "commands") => On(method, "GET", () => JsonAsync(context, 200, CommandsJson())),
                [var a, var id, var b] when Is(a, "commands") && Is(b, "outcome") => On(method, "PUT", () =>
                {
                    using JsonDocument document = ReadObject(body);
                    state.Script.SetOutcome(id, RequiredString(document.RootElement, "status"), OptionalString(document.RootElement, "error"));
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
                        return JsonAsync(context, 200, RequestsJson());
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
        EmulatedDevice device = ReadDevice(body, null);
        if (state.Devices.TryGet(device.Id, out _))
        {
            throw new ConflictException($"The emulator already has a device '{device.Id}'.");
        }

        state.Devices.Add(device);
        return JsonAsync(context, 201, DeviceJson(device));
    }

    private Task ScriptAsync(HttpContext context, byte[] body, bool gets)
    {
        using JsonDocument document = ReadObject(body);
        JsonElement root = document.RootElement;
        int count = OptionalInt(root, "count") ?? 1;
        int statusCode = OptionalInt(root, "statusCode") ?? throw new ArgumentException("'statusCode' is required: the HTTP status to answer, 400 to 599.");
        TimeSpan? retryAfter = RequestParsing.Get(root, "retryAfter") is { ValueKind: JsonValueKind.Number } seconds && seconds.TryGetDouble(out double value) && value is >= 0 and <= 86_400
            ? TimeSpan.FromSeconds(value)
            : RequestParsing.Get(root, "retryAfter") is null or { ValueKind: JsonValueKind.Null } ? null
            : throw new ArgumentException("'retryAfter' must be a number of seconds, 0 to 86400.");
        try
        {
            if (gets)
            {
                state.Script.NextGets(RequiredString(root, "commandId"), count, (HttpStatusCode)statusCode, retryAfter);
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

    /// <summary>A device from a JSON object; with <paramref name="current"/>, only the properties present change it.</summary>
    private static EmulatedDevice ReadDevice(byte[] body, EmulatedDevice? current)
    {
        using JsonDocument document = ReadObject(body);
        JsonElement root = document.RootElement;
        EmulatedDevice device = current ?? new EmulatedDevice(RequiredString(root, "id"));
        if (current is not null && OptionalString(root, "id") is { } id && id != current.Id)
        {
            throw new ArgumentException($"The device's id cannot change (it is '{current.Id}').");
        }

        return device with
        {
            Name = Has(root, "name") ? OptionalString(root, "name") ?? "Emulated device" : device.Name,
            Kind = Has(root, "kind") ? OptionalString(root, "kind") : device.Kind,
            Manufacturer = Has(root, "manufacturer") ? OptionalString(root, "manufacturer") : device.Manufacturer,
            Model = Has(root, "model") ? OptionalString(root, "model") : device.Model,
            Platform = Has(root, "platform") ? OptionalString(root, "platform") : device.Platform,
            Status = Has(root, "status") ? OptionalString(root, "status") : device.Status,
            Error = Has(root, "error") ? OptionalString(root, "error") : device.Error,
            Behavior = Has(root, "behavior") ? ParseBehavior(OptionalString(root, "behavior")) : device.Behavior,
        };
    }

    private static DeviceBehavior ParseBehavior(string? text) =>
        DeviceBehaviorNames.TryParse(text, out DeviceBehavior behavior) ? behavior
            : throw new ArgumentException($"'behavior' must be one of {string.Join(", ", DeviceBehaviorNames.All)}.");

    private static JsonDocument ReadObject(byte[] body)
    {
        JsonDocument document = RequestParsing.ParseJson(body, out string? problem) ?? throw new ArgumentException(problem);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ArgumentException("The body must be a JSON object.");
        }

        return document;
    }

    private static bool Has(JsonElement root, string name) => RequestParsing.Get(root, name) is not null;

    private static string? OptionalString(JsonElement root, string name) => RequestParsing.Get(root, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new ArgumentException($"'{name}' must be a string."),
    };

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) is { Length: > 0 } value ? value : throw new ArgumentException($"'{name}' is required: a non-empty string.");

    private static int? OptionalInt(JsonElement root, string name) => RequestParsing.Get(root, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int number) => number,
        _ => throw new ArgumentException($"'{name}' must be a whole number."),
    };

    private static Task JsonAsync(HttpContext context, int statusCode, byte[] body) => HttpAnswers.JsonAsync(context, statusCode, body);

    private static Task Empty(HttpContext context)
    {
        HttpAnswers.Empty(context, StatusCodes.Status204NoContent);
        return Task.CompletedTask;
    }

    private byte[] Summary() => WireFormat.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("baseUrl", baseUrl().AbsoluteUri);
        writer.WriteNumber("requestCount", state.Store.RequestCount);
        writer.WriteNumber("postCount", state.Store.PostCount);
        writer.WriteNumber("duplicatePostCount", state.Store.DuplicatePostCount);
        writer.WriteNumber("postBackCount", state.PostBackSender.Sent);
        writer.WriteNumber("postBackDroppedCount", state.PostBackSender.Dropped);
        writer.WriteNumber("postBackRefusedCount", state.PostBackSender.Refused);
        writer.WriteNumber("postBackFailedCount", state.PostBackSender.Failed);
        writer.WriteNumber("lostAnswerCount", state.LostAnswers.Count);
        writer.WriteNumber("devices", state.Devices.Count);
        writer.WriteNumber("commands", state.Store.All().Length);
        writer.WriteNumber("pendingAnswers", state.Script.PendingAnswers);
        writer.WriteEndObject();
    });

    private byte[] DevicesJson() => WireFormat.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (EmulatedDevice device in state.Devices)
        {
            WriteDevice(writer, device);
        }

        writer.WriteEndArray();
    });

    private static byte[] DeviceJson(EmulatedDevice device) => WireFormat.Write(writer => WriteDevice(writer, device));

    private static void WriteDevice(Utf8JsonWriter writer, EmulatedDevice device)
    {
        writer.WriteStartObject();
        writer.WriteString("id", device.Id);
        writer.WriteString("name", device.Name);
        writer.WriteString("kind", device.Kind);
        writer.WriteString("manufacturer", device.Manufacturer);
        writer.WriteString("model", device.Model);
        writer.WriteString("platform", device.Platform);
        writer.WriteString("status", device.Status);
        writer.WriteString("behavior", DeviceBehaviorNames.NameOf(device.Behavior));
        writer.WriteString("error", device.Error);
        writer.WriteEndObject();
    }

    private byte[] CommandsJson() => WireFormat.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (StoredCommand command in state.Store.All())
        {
            StatusAt status = state.StatusOf(command);
            writer.WriteStartObject();
            writer.WriteString("id", command.Id);
            writer.WriteString("deviceId", command.DeviceId);
            writer.WriteString("type", command.Type);
            writer.WriteString("status", status.Status);
            writer.WriteString("error", status.Error);
            writer.WriteString("createdAt", command.CreatedAt);
            writer.WriteString("clientRequestId", command.ClientRequestId);
            writer.WriteString("requestBody", command.RequestBody);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private byte[] RequestsJson() => WireFormat.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (RecordedRequest request in state.Requests.Snapshot())
        {
            writer.WriteStartObject();
            writer.WriteString("method", request.Method);
            writer.WriteString("path", request.Path);
            writer.WriteStartObject("headers");
            foreach ((string name, string value) in request.Headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteString("body", request.Body);
            writer.WriteString("receivedAt", request.ReceivedAt);
            if (request.StatusCode is { } status)
            {
                writer.WriteNumber("statusCode", status);
            }
            else
            {
                writer.WriteNull("statusCode");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private sealed class ConflictException(string message) : Exception(message);
}
