using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace DeviceCommands.Emulator.Wire;

/// <summary>Writes the emulator's answers: JSON bodies written whole, OData errors, empty answers.</summary>
internal static class HttpAnswers
{
    public const string JsonContentType = "application/json";

    public static Task JsonAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>A Graph OData error, <c>{"error":{"code":"...","message":"..."}}</c>.</summary>
    public static Task ErrorAsync(HttpContext context, int statusCode, string code, string message) =>
        JsonAsync(context, statusCode, WireFormat.Error(code, message));

    /// <summary>An OData error whose code is the usual Graph code of the status.</summary>
    public static Task ErrorAsync(HttpContext context, int statusCode, string message) =>
        ErrorAsync(context, statusCode, CodeFor(statusCode), message);

    /// <summary>An answer with no body, such as 204; it is sent when the request's handling ends.</summary>
    public static void Empty(HttpContext context, int statusCode) => context.Response.StatusCode = statusCode;

    /// <summary>The error code the emulator gives a status, e.g. <c>ServiceUnavailable</c> for 503.</summary>
    public static string CodeFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => "InvalidAuthenticationToken",
        StatusCodes.Status404NotFound => "ResourceNotFound",
        StatusCodes.Status408RequestTimeout => "RequestTimeout",
        StatusCodes.Status413PayloadTooLarge => "RequestEntityTooLarge",
        StatusCodes.Status500InternalServerError => "InternalServerError",
        _ => ReasonPhrases.GetReasonPhrase(statusCode) is { Length: > 0 } phrase
            ? string.Concat(phrase.Split(' ', '-'))
            : "Error" + statusCode.ToString(CultureInfo.InvariantCulture),
    };

    public static string WholeSeconds(TimeSpan time, int minimum) =>
        Math.Max(minimum, (long)Math.Ceiling(time.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>413 or 408 for a body that is too large or too slow, closing the connection (the rest is not read).</summary>
    public static Task BodyProblemAsync(HttpContext context, BodyProblem problem, long maxBytes, TimeSpan timeout)
    {
        context.Response.Headers.Connection = "close";
        return problem == BodyProblem.TooLarge
            ? ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"The body is larger than {maxBytes} bytes.")
            : ErrorAsync(context, StatusCodes.Status408RequestTimeout, "RequestTimeout", $"The body did not arrive within {timeout.TotalSeconds:0.###} s.");
    }
}
