using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>The floor: a plain record read by System.Text.Json's source generator, with no tolerance beyond case-insensitive names.</summary>
/// <remarks>
/// <see cref="ResponsePayload"/> and <see cref="Payload"/> are <see cref="JsonElement"/>s so the <c>"null"</c> strings of the
/// status page do not throw; <see cref="Value"/> lets the floor read the <c>{"value":{...}}</c> wrapper too, so all three
/// variants read the same information. The <c>"null"</c> strings are left as they are (the floor does no clean-up).
/// </remarks>
public sealed record FloorCommand(
    string? Id,
    FloorStatus? Status,
    string? Type,
    string? AppServiceName,
    string? PackageFamilyName,
    string? Error,
    string? PermissionTicket,
    string? PostBackUri,
    JsonElement? ResponsePayload,
    JsonElement? Payload,
    FloorCommand? Value);

/// <summary>The 14 status values; System.Text.Json reads enum names case-insensitively.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FloorStatus>))]
public enum FloorStatus
{
    Requesting,
    SentToTarget,
    Executing,
    Completed,
    FailedToSend,
    ExecutionFailed,
    CommandDropped,
    Cancel,
    Cancelling,
    Canceled,
    Retry,
    Expired,
    Error,
    Custom,
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FloorCommand))]
public sealed partial class FloorJsonContext : JsonSerializerContext;
