using System.Globalization;
using System.Text;
using System.Text.Json;
using DeviceCommands.Emulator.Commands;
using DeviceCommands.Emulator.State;
using DeviceCommands.Emulator.Wire;

namespace DeviceCommands.Emulator.Http;

/// <summary>
/// The four endpoints of the service, once the pipeline has routed the request, checked its method and token, and
/// read its body: the device list, the POST of a command, a command's status and its response payload.
/// </summary>
internal sealed class ServiceEndpoints(EmulatorState state)
{
    private EmulatorOptions Options => state.Options;

    /// <summary><c>GET me/devices</c>: 200 with every device.</summary>
    public Task ListDevicesAsync(HttpContext context) =>
        HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, state.Devices.ListBody(Options.CleanJson));

    /// <summary>
    /// <c>POST me/devices/{id}/commands</c>: 201 with the command, <c>requesting</c>; 400 for a malformed body. A command
    /// the device cannot run is accepted, and ends <c>executionFailed</c>.
    /// </summary>
    public Task PostCommandAsync(HttpContext context, EmulatedDevice device, byte[] body, string? clientRequestId)
    {
        using JsonDocument? document = RequestParsing.ParseJson(body, out string? problem);
        ParsedCommand? parsed = document is null ? null : RequestParsing.ParseCommand(document.RootElement, out problem);
        if (parsed is not { } command)
        {
            return HttpAnswers.ErrorAsync(context, StatusCodes.Status400BadRequest, "BadRequest", problem!);
        }

        StoredCommand stored = new()
        {
            Id = StoredCommand.NewId(),
            DeviceId = device.Id,
            Behavior = device.Behavior,
            DeviceError = device.Error,
            Type = command.Type,
            Problem = command.Problem,
            AppServiceName = command.AppServiceName,
            PackageFamilyName = command.PackageFamilyName,
            PostBackUri = command.PostBackUri,
            Payload = command.Payload,
            RequestBody = Encoding.UTF8.GetString(body),
            CreatedAt = state.Time.GetUtcNow(),
            ClientRequestId = clientRequestId,
        };
        state.Store.Add(stored);
        state.PostBacks.Follow(stored);
        return HttpAnswers.JsonAsync(context, StatusCodes.Status201Created,
            CommandJson.Command(stored, new StatusAt(CommandLifecycle.Requesting, Options.StepDelay), Options.CleanJson, wrap: false));
    }

    /// <summary><c>GET …/commands/{id}</c>: 200 with the command's status now (and <c>Retry-After</c> hints when asked for).</summary>
    public Task GetCommandAsync(HttpContext context, StoredCommand command)
    {
        StatusAt status = state.StatusOf(command);
        if (Options.RetryAfterHints && status.Remaining is { } remaining)
        {
            context.Response.Headers.RetryAfter = HttpAnswers.WholeSeconds(remaining, minimum: 1);
            // the exact time left too, as Azure services do, for clients that read it
            context.Response.Headers["retry-after-ms"] = Math.Max(1L, (long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        }

        return HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, CommandJson.Command(command, status, Options.CleanJson, wrap: true));
    }

    /// <summary>
    /// <c>GET …/commands/{id}/responsePayload</c>: 200 with the reference page's body once the command is completed (any
    /// type); before that, or when it ended otherwise, 204: OData's answer for a single value that is null (the
    /// reference documents no error here).
    /// </summary>
    public Task GetResponsePayloadAsync(HttpContext context, StoredCommand command)
    {
        if (state.StatusOf(command).CompletedAt is { } completedAt)
        {
            return HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, CommandJson.PayloadResponse(command, completedAt, Options.CleanJson));
        }

        HttpAnswers.Empty(context, StatusCodes.Status204NoContent);
        return Task.CompletedTask;
    }
}
