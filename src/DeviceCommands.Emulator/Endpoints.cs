using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace DeviceCommands.Emulator;

/// <summary>
/// The emulator's one request handler: counting, fault injection, the bearer check, routing and the four endpoints.
/// Routing reads the raw request target and percent-decodes each segment itself, so an id holding an encoded
/// <c>/</c>, <c>?</c>, <c>#</c>, <c>%</c>, space or non-ASCII character is matched as one id. Literal segments
/// match case-insensitively; ids match ordinally.
/// </summary>
internal sealed class Endpoints
{
    private const string JsonContentType = "application/json";
    private const string LaunchUri = "LaunchUri";
    private const string AppService = "AppService";

    private readonly EmulatorOptions _options;
    private readonly CommandStore _store;
    private readonly FaultInjector _faults;
    private readonly Dictionary<string, EmulatedDevice> _devices;
    private readonly byte[] _devicesBody;

    public Endpoints(EmulatorOptions options, CommandStore store)
    {
        _options = options;
        _store = store;
        _faults = new FaultInjector(options);
        _devices = options.EffectiveDevices.ToDictionary(device => device.Id, StringComparer.Ordinal);
        _devicesBody = WireFormat.Devices(options.EffectiveDevices, options.CleanJson);
    }

    private enum Route
    {
        None,
        Devices,
        Commands,
        Command,
        ResponsePayload,
    }

    public StatusAt StatusOf(StoredCommand command) => CommandLifecycle.Evaluate(
        command.Device.Behavior, _options.TimeProvider.GetUtcNow() - command.CreatedAt, _options.StepDelay);

    public async Task HandleAsync(HttpContext context)
    {
        _store.CountRequest();
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalServerError", exception.Message).ConfigureAwait(false);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string? clientRequestId = request.Headers["client-request-id"].FirstOrDefault();
        if (clientRequestId is not null)
        {
            context.Response.Headers["client-request-id"] = clientRequestId;
        }

        (Route route, string? deviceId, string? commandId) = Match(context);
        if (route == Route.Commands && HttpMethods.IsPost(request.Method))
        {
            _store.CountPost(clientRequestId);
        }

        (bool delay, Fault fault) = _faults.Next();
        if (delay)
        {
            await Task.Delay(_options.Latency, context.RequestAborted).ConfigureAwait(false);
        }

        switch (fault)
        {
            case Fault.Throttle:
                context.Response.Headers.RetryAfter = WholeSeconds(_options.ThrottleRetryAfter, minimum: 0);
                await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", "Too many requests (emulated throttling). Retry after the time in Retry-After.").ConfigureAwait(false);
                return;
            case Fault.Unavailable:
                await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable (emulated fault).").ConfigureAwait(false);
                return;
        }

        if (_options.RequireToken && !HasBearerToken(request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "Access token is empty.").ConfigureAwait(false);
            return;
        }

        if (route == Route.None)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", "No resource at this path. The emulator serves /beta/me/devices and below.").ConfigureAwait(false);
            return;
        }

        string allowed = route == Route.Commands ? HttpMethods.Post : HttpMethods.Get;
        if (!string.Equals(request.Method, allowed, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = allowed;
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed", $"This resource allows only {allowed}.").ConfigureAwait(false);
            return;
        }

        if (route == Route.Devices)
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, _devicesBody).ConfigureAwait(false);
            return;
        }

        if (!_devices.TryGetValue(deviceId!, out EmulatedDevice? device))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", $"Device '{deviceId}' was not found.").ConfigureAwait(false);
            return;
        }

        if (route == Route.Commands)
        {
            await PostCommandAsync(context, device, clientRequestId).ConfigureAwait(false);
            return;
        }

        StoredCommand? command = _store.Find(device.Id, commandId!);
        if (command is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", $"Command '{commandId}' was not found on device '{device.Id}'.").ConfigureAwait(false);
            return;
        }

        if (route == Route.Command)
        {
            await GetCommandAsync(context, command).ConfigureAwait(false);
        }
        else
        {
            await GetResponsePayloadAsync(context, command).ConfigureAwait(false);
        }
    }

    private async Task PostCommandAsync(HttpContext context, EmulatedDevice device, string? clientRequestId)
    {
        byte[]? body = await ReadBodyAsync(context.Request, _options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"The body is larger than {_options.MaxRequestBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        (StoredCommand? command, string? problem) = ParseCommand(body, device, clientRequestId);
        if (command is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "BadRequest", problem!).ConfigureAwait(false);
            return;
        }

        _store.Add(command);
        await WriteJsonAsync(context, StatusCodes.Status201Created,
            WireFormat.Command(command, CommandLifecycle.Requesting, error: null, completedAt: null, _options.CleanJson, wrap: false)).ConfigureAwait(false);
    }

    private (StoredCommand? Command, string? Problem) ParseCommand(byte[] body, EmulatedDevice device, string? clientRequestId)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (null, "The body is not valid JSON.");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object.");
            }

            string? type = GetString(root, "type");
            type = string.Equals(type, LaunchUri, StringComparison.OrdinalIgnoreCase) ? LaunchUri
                : string.Equals(type, AppService, StringComparison.OrdinalIgnoreCase) ? AppService
                : null;
            if (type is null)
            {
                return (null, "The property 'type' must be 'LaunchUri' or 'AppService'.");
            }

            JsonElement? payload = Get(root, "payload") is { ValueKind: not JsonValueKind.Null } element ? element.Clone() : null;
            string? appServiceName = GetString(root, "appServiceName");
            string? packageFamilyName = GetString(root, "packageFamilyName");
            if (type == LaunchUri)
            {
                string? uri = payload is { ValueKind: JsonValueKind.Object } launch ? GetString(launch, "uri") : null;
                if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
                {
                    return (null, "A LaunchUri command needs 'payload.uri', an absolute http or https URI.");
                }
            }
            else if (string.IsNullOrEmpty(appServiceName) || string.IsNullOrEmpty(packageFamilyName))
            {
                return (null, "An AppService command needs 'appServiceName' and 'packageFamilyName'.");
            }

            return (new StoredCommand
            {
                Id = StoredCommand.NewId(),
                Device = device,
                Type = type,
                AppServiceName = appServiceName,
                PackageFamilyName = packageFamilyName,
                PostBackUri = GetString(root, "postBackUri"),
                Payload = payload,
                RequestBody = Encoding.UTF8.GetString(body),
                CreatedAt = _options.TimeProvider.GetUtcNow(),
                ClientRequestId = clientRequestId,
            }, null);
        }
    }

    private Task GetCommandAsync(HttpContext context, StoredCommand command)
    {
        StatusAt status = StatusOf(command);
        if (_options.RetryAfterHints && status.Remaining is { } remaining)
        {
            context.Response.Headers.RetryAfter = WholeSeconds(remaining, minimum: 1);
            // the exact time left too, as Azure services do, for clients that read it
            context.Response.Headers["retry-after-ms"] = Math.Max(1L, (long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        string? error = status.IsTerminal && CommandLifecycle.ErrorFor(status.Status) is { } standard ? command.Device.Error ?? standard : null;
        return WriteJsonAsync(context, StatusCodes.Status200OK,
            WireFormat.Command(command, status.Status, error, CompletedAt(command, status), _options.CleanJson, wrap: true));
    }

    /// <summary>200 for a completed AppService command; otherwise 404 <c>PayloadNotAvailable</c>.</summary>
    private Task GetResponsePayloadAsync(HttpContext context, StoredCommand command)
    {
        StatusAt status = StatusOf(command);
        if (CompletedAt(command, status) is { } completedAt)
        {
            return WriteJsonAsync(context, StatusCodes.Status200OK, WireFormat.PayloadResponse(command, completedAt, _options.CleanJson));
        }

        string message = command.Type == AppService
            ? $"The command is '{status.Status}'; a response payload exists only once an AppService command is 'completed'."
            : "A LaunchUri command has no response payload; only AppService commands do.";
        return WriteErrorAsync(context, StatusCodes.Status404NotFound, "PayloadNotAvailable", message);
    }

    /// <summary>When a command's response payload was created: set only for a completed AppService command.</summary>
    private DateTimeOffset? CompletedAt(StoredCommand command, StatusAt status) =>
        command.Type == AppService && status.Status == "completed"
            ? command.CreatedAt + CommandLifecycle.TimeToTerminal(command.Device.Behavior, _options.StepDelay)
            : null;

    private static (Route Route, string? DeviceId, string? CommandId) Match(HttpContext context)
    {
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.Path.ToUriComponent();
        if (!target.StartsWith('/') && Uri.TryCreate(target, UriKind.Absolute, out Uri? absolute))
        {
            target = absolute.AbsolutePath; // absolute-form request target
        }

        int end = target.IndexOfAny(['?', '#']);
        string[] segments = (end < 0 ? target : target[..end]).Split('/');
        int count = segments.Length > 1 && segments[^1].Length == 0 ? segments.Length - 1 : segments.Length; // a trailing slash is tolerated
        if (count < 4 || segments[0].Length != 0 || !Is(segments[1], "beta") || !Is(segments[2], "me") || !Is(segments[3], "devices"))
        {
            return (Route.None, null, null);
        }

        string? deviceId = count > 4 ? Uri.UnescapeDataString(segments[4]) : null;
        string? commandId = count > 6 ? Uri.UnescapeDataString(segments[6]) : null;
        if (deviceId is { Length: 0 } || commandId is { Length: 0 })
        {
            return (Route.None, null, null);
        }

        return count switch
        {
            4 => (Route.Devices, null, null),
            6 when Is(segments[5], "commands") || Is(segments[5], "command") => (Route.Commands, deviceId, null),
            7 when Is(segments[5], "commands") || Is(segments[5], "command") => (Route.Command, deviceId, commandId),
            8 when (Is(segments[5], "commands") || Is(segments[5], "command")) && Is(segments[7], "responsePayload") => (Route.ResponsePayload, deviceId, commandId),
            _ => (Route.None, null, null),
        };
    }

    private static bool Is(string segment, string literal) => string.Equals(segment, literal, StringComparison.OrdinalIgnoreCase);

    private static bool HasBearerToken(HttpRequest request)
    {
        string? value = request.Headers.Authorization.FirstOrDefault();
        return value is not null
            && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(value.AsSpan("Bearer ".Length).ToString());
    }

    private static JsonElement? Get(JsonElement obj, string name)
    {
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? GetString(JsonElement obj, string name) =>
        Get(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static string WholeSeconds(TimeSpan time, int minimum) =>
        Math.Max(minimum, (long)Math.Ceiling(time.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the whole body, or returns null as soon as it is larger than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using MemoryStream buffer = new();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Task WriteErrorAsync(HttpContext context, int statusCode, string code, string message) =>
        WriteJsonAsync(context, statusCode, WireFormat.Error(code, message));

    private static Task WriteJsonAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
