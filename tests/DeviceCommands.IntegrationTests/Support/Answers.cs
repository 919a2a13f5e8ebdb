using System.Text;
using DeviceCommands.TestSupport;

namespace DeviceCommands.IntegrationTests;

/// <summary>The answers loopback tests script: command bodies, an OData error, padded and byte-exact responses.</summary>
internal static class Answers
{
    public const string Requesting = "{\"id\":\"c\",\"status\":\"requesting\"}";

    public const string Completed = "{\"id\":\"c\",\"status\":\"completed\"}";

    public const string ODataErrorBody = "{\"error\":{\"code\":\"someCode\",\"message\":\"some message\"}}";

    /// <summary>A JSON object padded with an unknown string property to exactly <paramref name="length"/> bytes.</summary>
    public static string Padded(string json, int length)
    {
        var prefix = json[..^1] + ",\"pad\":\"";
        return prefix + new string('p', length - prefix.Length - 2) + "\"}";
    }

    /// <summary>A complete HTTP/1.1 response written byte for byte (for bodies that are not valid UTF-8).</summary>
    public static Reply RawResponse(int status, string reason, byte[] body, string contentType = "application/json")
    {
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        return Reply.Raw([.. head, .. body], close: false);
    }

    /// <summary>How many requests with <paramref name="method"/> the server has read.</summary>
    public static int Count(this RawHttpServer server, string method) => server.Requests.Count(r => r.Method == method);
}
