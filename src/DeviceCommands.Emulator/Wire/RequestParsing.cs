using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace DeviceCommands.Emulator.Wire;

/// <summary>Why a body could not be read.</summary>
internal enum BodyProblem
{
    None,
    TooLarge,
    TooSlow,
}

/// <summary>A command as read from a POST body: what the device is asked to do, and why it could not (null when it can).</summary>
internal readonly record struct ParsedCommand(
    string? Type, string? AppServiceName, string? PackageFamilyName, string? PostBackUri, JsonElement? Payload, string? Problem);

/// <summary>
/// Reads request bodies: bounded in size and in time, strict UTF-8 (a leading BOM skipped), JSON with no lone
/// surrogate anywhere, and the command of a POST. What is malformed is a 400; what a device cannot run is accepted
/// and ends <c>executionFailed</c> (the command lifecycle decides).
/// </summary>
internal static class RequestParsing
{
    public const string LaunchUri = "LaunchUri";
    public const string AppService = "AppService";

    /// <summary>The deepest payload taken: the client's limit (<c>JsonPayload.MaxDepth</c>, 64 levels).</summary>
    public const int MaxPayloadDepth = 64;

    // the command object is one level more than its payload
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxPayloadDepth + 1 };

    /// <summary>Whether the request announces a body (Content-Length above 0, or chunked).</summary>
    public static bool HasBody(HttpContext context) =>
        context.Request.ContentLength is > 0
        || (context.Request.ContentLength is null && (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false));

    /// <summary>
    /// Reads the whole body, or stops as soon as it is larger than <paramref name="max"/> bytes, or has not arrived
    /// within <paramref name="timeout"/> (real time).
    /// </summary>
    /// <exception cref="OperationCanceledException">The request was aborted.</exception>
    public static async Task<(byte[]? Body, BodyProblem Problem)> ReadBodyAsync(HttpContext context, int max, TimeSpan timeout)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > max)
        {
            return (null, BodyProblem.TooLarge);
        }

        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        using MemoryStream buffer = new();
        byte[] chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return (null, BodyProblem.TooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return (null, BodyProblem.TooSlow);
        }

        return (buffer.ToArray(), BodyProblem.None);
    }

    /// <summary>
    /// Parses a JSON body: strict UTF-8 (a leading BOM is skipped), at most 64 levels deep, and every string and
    /// property name valid UTF-16 once unescaped (no lone surrogate such as <c>\ud800</c>).
    /// </summary>
    /// <returns>The document, or null with the reason it is malformed.</returns>
    public static JsonDocument? ParseJson(ReadOnlyMemory<byte> body, out string? problem)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (body.Span.StartsWith(bom))
        {
            body = body[bom.Length..];
        }

        if (body.IsEmpty)
        {
            problem = "The body is empty; a JSON object was expected.";
            return null;
        }

        if (!Utf8.IsValid(body.Span))
        {
            problem = "The body is not valid UTF-8.";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            problem = JsonNesting.TooDeep(body.Span, DocumentOptions.MaxDepth)
                ? $"The body nests deeper than the limit: a command's payload may nest at most {MaxPayloadDepth} levels (the client's JsonPayload.MaxDepth)."
                : $"The body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).";
            return null;
        }

        if (!IsValidText(document.RootElement))
        {
            document.Dispose();
            problem = "The body holds a string that is not valid Unicode (a lone surrogate such as \\ud800).";
            return null;
        }

        problem = null;
        return document;
    }

    /// <summary>
    /// Reads a command. Null with the reason when it is malformed: not an object, or a string property of the
    /// resource (<c>type</c>, <c>appServiceName</c>, <c>packageFamilyName</c>, <c>postBackUri</c>, <c>permissionTicket</c>)
    /// holding another JSON type. Names match case-insensitively, the string <c>"null"</c> reads as null, and
    /// <c>payload</c> may be any JSON.
    /// </summary>
    public static ParsedCommand? ParseCommand(JsonElement root, out string? malformed)
    {
        malformed = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            malformed = "The body must be a JSON object (a command).";
            return null;
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (IsStringProperty(property.Name) && property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                malformed = $"The property '{property.Name}' must be a string.";
                return null;
            }
        }

        string? type = GetString(root, "type");
        type = string.Equals(type, LaunchUri, StringComparison.OrdinalIgnoreCase) ? LaunchUri
            : string.Equals(type, AppService, StringComparison.OrdinalIgnoreCase) ? AppService
            : type;
        JsonElement? payload = Get(root, "payload") is { ValueKind: not JsonValueKind.Null } element ? element.Clone() : null;
        string? appServiceName = GetString(root, "appServiceName");
        string? packageFamilyName = GetString(root, "packageFamilyName");
        string? problem = type switch
        {
            null => "The command has no 'type'; the device runs 'LaunchUri' and 'AppService' commands.",
            LaunchUri when !HasLaunchableUri(payload) => "A LaunchUri command needs 'payload.uri', an absolute URI: the device had nothing to launch.",
            LaunchUri => null,
            AppService when string.IsNullOrEmpty(appServiceName) || string.IsNullOrEmpty(packageFamilyName) =>
                "An AppService command needs 'appServiceName' and 'packageFamilyName': the device found no app service to call.",
            AppService => null,
            _ => $"The device does not know the command type '{type}'; it runs 'LaunchUri' and 'AppService' commands.",
        };
        return new ParsedCommand(type, appServiceName, packageFamilyName, GetString(root, "postBackUri"), payload, problem);
    }

    /// <summary>Finds a property by name, case-insensitively (the first one of that name).</summary>
    public static JsonElement? Get(JsonElement obj, string name)
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

    /// <summary>A string property, with the service's <c>"null"</c> read as null.</summary>
    public static string? GetString(JsonElement obj, string name) =>
        Get(obj, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { } text && text != "null" ? text : null;

    private static bool IsStringProperty(string name) =>
        name.Equals("type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("appServiceName", StringComparison.OrdinalIgnoreCase)
        || name.Equals("packageFamilyName", StringComparison.OrdinalIgnoreCase)
        || name.Equals("postBackUri", StringComparison.OrdinalIgnoreCase)
        || name.Equals("permissionTicket", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An absolute URI with an explicit scheme (any: a device launches <c>https:</c>, <c>ms-settings:</c>, <c>ftp:</c>
    /// alike); a path such as <c>/x</c>, which .NET reads as a file URI on Unix, is not one.
    /// </summary>
    private static bool HasLaunchableUri(JsonElement? payload) =>
        payload is { ValueKind: JsonValueKind.Object } launch
        && GetString(launch, "uri") is { } text
        && Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
        && text.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether every string and property name below <paramref name="element"/> unescapes to valid UTF-16.</summary>
    private static bool IsValidText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        if (!IsValidText(item))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        _ = property.Name; // unescapes the name, which throws for a lone surrogate
                        if (!IsValidText(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
